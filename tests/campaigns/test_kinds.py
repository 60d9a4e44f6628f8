"""Every registered field kind, through everything a kind owns: it cleans what a unit types (and
refuses a bad value in Chinese), its widget draws the value so that posting the drawn form gives
the same value back, and it shows the value on the official form, as one line and in Excel.

A kind added to the registry without a sample here fails ``test_every_kind_has_a_sample``.
"""

import io
import re
from html.parser import HTMLParser

import pytest
from django.http import QueryDict
from openpyxl import Workbook, load_workbook

from tuixuan.campaigns import kinds
from tuixuan.campaigns.models import FieldKind, FieldSpec
from tuixuan.documents.xlsx import _cell
from tuixuan.nominations.forms import NominationForm
from tuixuan.nominations.reports import Problem

TEAMS = {
    "items": [
        {"key": "name", "label": "队伍名称", "kind": "text"},
        {"key": "phone", "label": "联系电话", "kind": "phone"},
        {"key": "registration", "label": "注册", "kind": "registration"},
    ]
}

# kind: (options, what a unit types, its clean value, a bad value)
SAMPLES = {
    "text": ({}, "  张  三 ", "张 三", "a\x01b"),
    "long_text": ({"max_chars": 1000}, "第一段\r\n第二段", "第一段\n第二段", "响\x07铃"),
    "integer": ({}, "１,200", 1200, "1.5"),
    "decimal": ({}, "12.50", "12.5", "-1"),
    "percentage": ({}, "60%", "60", "120"),
    "date": ({}, "2021年3月15日", "2021-03-15", "2021-02-30"),
    "year_month": ({}, "2019.5", "2019-05", "2019-13"),
    "choice": ({"choices": ["男", "女"]}, "女", "女", "未知"),
    "multi_choice": (
        {"choices": ["科普讲座", "健康义诊"]},
        ["科普讲座", "健康义诊"],
        ["科普讲座", "健康义诊"],
        ["打麻将"],
    ),
    "list": ({}, "科技助农\n田间课堂", ["科技助农", "田间课堂"], 5),
    "phone": ({}, "0771 2863980", "0771-2863980", "12345"),
    "address": (
        {"parts": [{"key": "city", "label": "市"}, {"key": "village", "label": "社区（村）"}]},
        {"city": " 南宁", "village": "东风村"},
        {"city": "南宁市", "village": "东风村"},
        "南宁市东风村",
    ),
    "registration": (
        {},
        {"registered": "是", "number": "A100"},
        {"registered": True, "number": "A100"},
        {"registered": "也许"},
    ),
    "credit_code": ({}, "91350100m000100y43", "91350100M000100Y43", "91350100M000100Y44"),
    "email": ({}, " li.xiumei＠Example.COM ", "li.xiumei@example.com", "li.xiumei@"),
}
VARIANTS = {
    "list-of-rows": (
        "list",
        TEAMS,
        [{"name": "一队", "phone": "13800000000", "registration": {"registered": "否"}}],
        [
            {
                "name": "一队",
                "phone": "13800000000",
                "registration": {"registered": False, "number": ""},
            }
        ],
        ["一队"],
    ),
    "address-one-line": ("address", {}, " 南宁市 东风村 ", "南宁市 东风村", ["南宁市"]),
}
CASES = {kind: (kind, *sample) for kind, sample in SAMPLES.items()} | VARIANTS


def spec_of(kind, options) -> FieldSpec:
    return FieldSpec(key="f", label="某字段", kind=kind, options=options, required=True)


def test_every_kind_has_a_sample_and_every_stored_choice_a_kind():
    assert set(SAMPLES) == set(kinds.REGISTRY)
    assert set(FieldKind.values) == set(kinds.REGISTRY)


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_kind_cleans_what_is_typed_and_cleaning_again_changes_nothing(case):
    kind_value, options, typed, clean, _bad = CASES[case]
    kind = kinds.of(spec_of(kind_value, options))
    assert kind.clean_value(typed) == clean
    assert kind.clean_value(clean) == clean
    assert kind.clean_value("") is None


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_kinds_json_example_is_a_clean_value_of_its_shape(case):
    """What the API's campaign schema shows a script: cleaning it changes nothing."""
    kind_value, options, _typed, clean, _bad = CASES[case]
    kind = kinds.of(spec_of(kind_value, options))
    example = kind.json_example()
    assert kind.clean_value(example) == example
    assert type(example) is type(clean)
    shown, typed = (value if isinstance(value, list) else [value] for value in (example, clean))
    if isinstance(typed[0], dict):  # a registration, an address's parts, a list's rows
        assert set(shown[0]) == set(typed[0])


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_kind_refuses_a_bad_value_in_chinese_naming_the_field(case):
    kind_value, options, _typed, _clean, bad = CASES[case]
    values, errors = kinds.clean_values([spec_of(kind_value, options)], {"f": bad})
    assert values == {}
    assert errors["f"].startswith("“某字段”：")
    assert any("\u4e00" <= char <= "\u9fff" for char in errors["f"].removeprefix("“某字段”："))


class _Posted(HTMLParser):
    """What a browser posts for a drawn form: inputs, checked boxes, selected options, text."""

    def __init__(self):
        super().__init__()
        self.data = QueryDict(mutable=True)
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            if attrs.get("type") in ("radio", "checkbox") and "checked" not in attrs:
                return
            self.data.appendlist(name, attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.data.appendlist(name, "")
        elif tag == "select":
            self._select = name
            self.data.appendlist(name, "")
        elif tag == "option" and "selected" in attrs:
            self.data[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] = self.data[self._textarea] + data


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_kinds_widget_draws_the_value_and_posting_it_gives_the_value_back(case):
    kind_value, options, _typed, clean, _bad = CASES[case]
    specs = [spec_of(kind_value, options)]
    html = str(NominationForm(specs, initial={"f": clean})["f"])
    assert 'name="f' in html
    posted = _Posted()
    posted.feed(html)
    form = NominationForm(specs, data=posted.data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["f"] == clean
    assert kinds.clean_values(specs, form.submitted()) == ({"f": clean}, {})


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_bad_post_is_drawn_again_as_typed_with_its_error(case):
    kind_value, options, _typed, _clean, _bad = CASES[case]
    specs = [spec_of(kind_value, options)]
    posted = _Posted()
    posted.feed(str(NominationForm(specs)["f"]))
    form = NominationForm(specs, data=posted.data)
    assert form.is_valid()  # nothing typed is fine in a draft
    field = form.groups()[0]["fields"][0]
    assert field["problems"] == [] and field["label"] == "某字段"
    assert "aria-invalid" not in str(field["widget"])
    # With a problem, a single control is marked invalid and described by its error text
    # (a group of controls is marked on its group, by the page: nominations/field.html).
    problem = Problem("f", "“某字段”：应填写数字。", anchor="id_f")
    field = form.groups([problem])[0]["fields"][0]
    assert field["problems"] == [problem]
    marked = 'aria-invalid="true" aria-describedby="error-f"' in str(field["widget"])
    assert marked == field["label_for"]


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_kind_shows_its_value_on_the_form_as_one_line_and_in_excel(case):
    kind_value, options, _typed, clean, _bad = CASES[case]
    spec = spec_of(kind_value, options)
    kind = kinds.of(spec)
    assert kind.text(clean).strip()
    assert "\n" not in kind.line(clean)
    assert kind.text(None) == "" and kind.excel(None) is None
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("表")
    sheet.append([_cell(sheet, spec, clean)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert load_workbook(buffer).active["A1"].value not in (None, "")


def test_the_official_form_shows_each_kind_as_a_reader_expects():
    def text(kind, value, options=None):
        return kinds.of(spec_of(kind, options or {})).text(value)

    assert text("percentage", "60") == "60%"
    assert text("date", "2021-03-15") == "2021年3月15日"
    assert text("year_month", "2019-05") == "2019年5月"
    assert text("registration", {"registered": True, "number": "A1"}) == "已注册（A1）"
    assert text("list", ["科技助农", "田间课堂"]) == "1. 科技助农\n2. 田间课堂"
    rows = [{"name": "一队", "registration": {"registered": True, "number": ""}}]
    assert text("list", rows, TEAMS) == "1. 一队 · “大美志愿”已注册"


SERVICE_POINT = {
    "parts": [
        {"key": "province", "label": "省（区、市）"},
        {"key": "city", "label": "市"},
        {"key": "county", "label": "县（区）"},
        {"key": "street", "label": "街道（乡镇）"},
        {"key": "community", "label": "社区（村）"},
    ]
}
PINGYANG = "广西壮族自治区南宁市武鸣区城厢镇平阳社区"


def test_a_service_points_address_is_one_line_wherever_it_is_read():
    """One reading of an address: the parts in the file's order, joined; the name of a service
    point, its line on the official form and its cell in Excel are that same line."""
    options = SAMPLES["address"][0]
    kind = kinds.of(spec_of("address", options))
    value = {"village": "东风村", "city": "南宁市"}
    assert kind.line(value) == kind.text(value) == kind.excel(value).value == "南宁市东风村"


def _posted(**typed):
    data = QueryDict(mutable=True)
    for name, text in typed.items():
        data[f"f__{name}"] = text
    return data


def test_the_service_point_name_is_the_official_template_filled_in():
    """“___省（区、市）___市___县（区）___街道（乡镇）___社区（村）”: the clerk types the name
    before each level's word; the word is added (市), chosen (县 or 区 …), or kept once when
    typed."""
    specs = [spec_of("address", SERVICE_POINT)]
    html = str(NominationForm(specs)["f"])
    shown = html.split('<p class="preview">')[0]  # the boxes, each followed by its word
    words = re.sub(r'<option value="[^"]+"[^>]*>[^<]*</option>|<[^>]+>|\s+', " ", shown)
    assert words.split() == ["省（区、市）", "市", "县（区）", "街道（乡镇）", "社区（村）"]
    assert 'src="/static/tuixuan/address.js"' in html  # the live preview, served by the app
    typed = _posted(
        province="广西壮族", province__ending="自治区", city="南宁",  # 市: the only word, added
        county="武鸣区", county__ending="县",  # typed in the box: kept as typed, not doubled
        street="城厢", street__ending="镇", community="平阳", community__ending="社区",
    )  # fmt: skip
    form = NominationForm(specs, data=typed)
    assert form.is_valid(), form.errors
    value = form.cleaned_data["f"]
    assert value["city"] == "南宁市" and value["county"] == "武鸣区"
    kind = kinds.of(specs[0])
    assert kind.line(value) == kind.text(value) == kind.excel(value).value == PINGYANG
    assert kind.clean_value({**value, "city": "南宁市"}) == value  # 南宁市 in the 市 box: once

    drawn = str(NominationForm(specs, initial={"f": value})["f"])
    assert f'<output data-preview aria-live="polite">{PINGYANG}</output>' in drawn  # no JS
    assert 'name="f__city" value="南宁"' in drawn
    assert '<option value="区" selected>区</option>' in drawn


def test_a_level_that_allows_several_words_is_refused_without_one_and_never_guessed():
    spec = spec_of("address", SERVICE_POINT)
    values, errors = kinds.clean_values([spec], {"f": {"city": "南宁", "county": "武鸣"}})
    assert values == {}
    assert errors["f"] == "“某字段”：县（区）一级请写明是县、区、自治县还是市。"
    _values, errors = kinds.clean_values([spec], {"f": {"city": "市"}})
    assert errors["f"] == "“某字段”：市一级只有“市”，请填写名称。"


@pytest.mark.parametrize(
    ("city", "county"),
    [
        ("荆州市", "沙市区"),
        ("柳州市", "三江侗族自治县"),
        ("济南市", "市中区"),
        ("恩施土家族苗族自治州", "利川市"),  # kept as typed: no 市 added after 自治州
        ("呼伦贝尔市", "鄂温克族自治旗"),
    ],
)
def test_a_name_ending_in_another_levels_word_comes_back_whole(city, county):
    specs = [spec_of("address", SERVICE_POINT)]
    value = {"province": "湖北省", "city": city, "county": county, "community": "新村村"}
    assert kinds.clean_value(specs[0], value) == value
    posted = _Posted()
    posted.feed(str(NominationForm(specs, initial={"f": value})["f"]))
    form = NominationForm(specs, data=posted.data)
    assert form.is_valid() and form.cleaned_data["f"] == value


def test_an_address_not_yet_read_into_levels_is_shown_as_it_was_and_marked_for_the_clerk():
    specs = [spec_of("address", SERVICE_POINT)]
    kind = kinds.of(specs[0])
    assert kind.line("南宁武鸣城厢平阳") == "南宁武鸣城厢平阳"
    drawn = str(NominationForm(specs, initial={"f": "南宁武鸣城厢平阳"})["f"])
    assert "原填写为“南宁武鸣城厢平阳”，未能按各级拆开，请逐级填写后保存。" in drawn
    drawn = str(NominationForm(specs, initial={"f": {"city": "南宁市", "county": "武鸣"}})["f"])
    assert "请为县（区）选择后缀（原填写未写明），再保存。" in drawn
    assert 'value="武鸣" aria-label="县（区）" data-endings="县 区 自治县 市 旗' in drawn
    assert 'aria-invalid="true"' in drawn
