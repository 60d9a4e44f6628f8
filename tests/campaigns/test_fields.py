"""Field kinds: what a unit may type, and the error it reads when it is wrong."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tuixuan.campaigns.kinds import FieldDef, FieldError, clean_value, clean_values


def field(kind, **options):
    return FieldDef("f", "测试字段", kind, True, options)


@pytest.mark.parametrize(
    ("kind", "raw", "clean"),
    [
        ("integer", "20", 20),
        ("integer", "２０", 20),
        ("integer", " 1,200 ", 1200),
        ("integer", 7, 7),
        ("decimal", "24000.50", "24000.5"),
        ("percentage", "59.9", "59.9"),
        ("percentage", "60%", "60"),
        ("percentage", 100, "100"),
        ("date", "2021-12-31", "2021-12-31"),
        ("date", "2021年12月31日", "2021-12-31"),
        ("year_month", "2019-5", "2019-05"),
        ("year_month", "2019年05月", "2019-05"),
        ("year_month", "2019.05", "2019-05"),
        ("phone", "138 0771 0001", "13807710001"),
        ("phone", "+86 13807710001", "13807710001"),
        ("phone", "0771-2863980", "0771-2863980"),
        ("phone", "（0771）2863980", "0771-2863980"),
        ("phone", "07712863980", "0771-2863980"),
        ("text", "  南宁市   科协 ", "南宁市 科协"),
        ("long_text", "第一段\r\n第二段  ", "第一段\n第二段"),
        (
            "registration",
            {"registered": "是", "number": " DM-1 "},
            {"registered": True, "number": "DM-1"},
        ),
        ("registration", "否", {"registered": False, "number": ""}),
    ],
)
def test_values_of_each_kind_are_cleaned(kind, raw, clean):
    assert clean_value(field(kind), raw) == clean


@pytest.mark.parametrize(
    ("kind", "raw", "message"),
    [
        ("integer", "二十", "应填写数字。"),
        ("integer", "-3", "不能为负数。"),
        ("integer", "2.5", "应填写整数。"),
        ("integer", True, "应填写数字。"),
        ("integer", "NaN", "应填写数字。"),
        ("decimal", "Infinity", "应填写数字。"),
        ("percentage", "100.1", "百分比应在0到100之间（填写数字，如60表示60%）。"),
        ("percentage", "-1", "百分比应在0到100之间（填写数字，如60表示60%）。"),
        ("date", "2021-02-30", "不是有效的日期。"),
        ("date", "去年", "应填写日期，如2021-03-15。"),
        ("year_month", "2019-13", "月份应在1到12之间。"),
        ("year_month", "1850-01", "年份应在1900到2100之间。"),
        ("phone", "12345", "应填写11位手机号码，或带区号的固定电话（如0771-2863980）。"),
        ("phone", "2863980", "应填写11位手机号码，或带区号的固定电话（如0771-2863980）。"),
        ("text", "a\x00b", "含有无法识别的控制字符，请删除后重新填写。"),
        ("text", "字" * 501, "内容过长（不超过500个字符）。"),
        ("registration", {"registered": "也许"}, "应选择“是”或“否”。"),
    ],
)
def test_wrong_values_are_refused_with_a_chinese_reason(kind, raw, message):
    with pytest.raises(FieldError) as error:
        clean_value(field(kind), raw)
    assert str(error.value) == message


def test_choices_accept_listed_values_and_free_text_only_when_allowed():
    closed = field("choice", choices=["男", "女"])
    assert clean_value(closed, "女") == "女"
    with pytest.raises(FieldError, match="应从以下选项中选择：男、女。"):
        clean_value(closed, "未知")
    kinds = field("multi_choice", choices=["科普讲座", "健康义诊"], allow_other=True)
    assert clean_value(kinds, "科普讲座、健康义诊\n非遗传习、科普讲座") == [
        "科普讲座",
        "健康义诊",
        "非遗传习",
    ]


def test_a_list_of_teams_is_cleaned_item_by_item_and_a_bad_item_is_named():
    teams = field(
        "list",
        items=[
            {"key": "name", "label": "服务队名称", "kind": "text"},
            {"key": "registration", "label": "注册情况", "kind": "registration"},
        ],
    )
    cleaned = clean_value(teams, [{"name": "一队", "registration": {"registered": "是"}}, {}])
    assert cleaned == [{"name": "一队", "registration": {"registered": True, "number": ""}}]
    with pytest.raises(FieldError, match="第2项“注册情况”：应选择“是”或“否”。"):
        clean_value(
            teams, [{"name": "一队"}, {"name": "二队", "registration": {"registered": "?"}}]
        )


def test_plain_list_accepts_one_item_per_line():
    assert clean_value(field("list"), "科技助农\n\n田间课堂\n") == ["科技助农", "田间课堂"]


def test_address_in_parts_keeps_only_known_parts():
    address = field(
        "address",
        parts=[{"key": "city", "label": "市"}, {"key": "community", "label": "社区（村）"}],
    )
    assert clean_value(address, {"city": "南宁市", "community": "东风村", "x": "y"}) == {
        "city": "南宁市",
        "community": "东风村",
    }


def test_empty_values_are_absent_not_errors():
    fields = [field("integer"), FieldDef("g", "其他", "text")]
    assert clean_values(fields, {"f": "  ", "g": None}) == ({}, {})


def test_every_error_names_its_field():
    fields = [FieldDef("count", "活动次数", "integer"), FieldDef("since", "成立时间", "date")]
    values, errors = clean_values(fields, {"count": "很多", "since": "2020-01-01"})
    assert values == {"since": "2020-01-01"}
    assert errors == {"count": "“活动次数”：应填写数字。"}


KINDS = [
    "text", "long_text", "integer", "decimal", "percentage", "date", "year_month",
    "phone", "registration", "list",
]  # fmt: skip
JUNK = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=8,
)


@given(kind=st.sampled_from(KINDS), raw=JUNK)
def test_any_input_is_either_cleaned_or_refused_with_a_field_error(kind, raw):
    try:
        clean_value(field(kind), raw)
    except FieldError as error:
        assert str(error)
