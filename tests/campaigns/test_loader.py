"""Campaign files in, campaigns out: the three real files read back from the database, every
malformed file refused with a Chinese message that names the file and the key, nothing written on
a refusal, the ``load_campaign`` command, and reloading a changed file in place."""

from datetime import date, datetime
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import CAMPAIGNS, CHINA, MB, complete_nomination, make_member, make_unit
from tests.fixtures.campaigns import CampaignRows
from tuixuan.campaigns.checks import CHECKS, FAIL, PASS
from tuixuan.campaigns.loader import load_campaign_file
from tuixuan.campaigns.models import (
    Campaign,
    Category,
    Criterion,
    FieldKind,
    FieldSpec,
    Level,
    RubricItem,
)
from tuixuan.common.exceptions import CampaignFileError
from tuixuan.nominations.reports import evaluate

HERE = Path(__file__).resolve().parent
MALFORMED = HERE / "malformed"
MINIMAL = HERE / "minimal-valid.toml"  # every malformed file is this one with one change
GX = CAMPAIGNS / "gx-2024.toml"
NATIONAL = CAMPAIGNS / "national-2023-example.toml"
NATIONAL_2024 = CAMPAIGNS / "national-2024-example.toml"  # gx-2024's parent
CSJ = CAMPAIGNS / "csj-2025-example.toml"
DOC = CAMPAIGNS.parent / "docs" / "campaign-file.md"

CATEGORY = "category[1]（最美科技志愿者）"

# file name -> (the key path, or 第N行 for a TOML syntax error, or the file for an unreadable file;
# and the Chinese words naming the problem); both must stand in the same line of the message.
MALFORMED_CASES = {
    "bad_date.toml": (
        "campaign.reference_date",
        "应为日期（如 2024-12-31），而不是文字“2024-13-01”",
    ),
    "bad_key_characters.toml": (f"{CATEGORY}.key", "只能使用小写英文字母、数字、下划线和连字符"),
    "category_table_not_array.toml": ("category", "应为表的数组（[[...]]），而不是表"),
    "check_names_missing_field.toml": (
        f"{CATEGORY}.criterion[1].field",
        "字段“started”在本类别中不存在",
    ),
    "public_list_with_a_phone_column.toml": (
        f"{CATEGORY}.field[4].public",
        "联系方式（电话、电子邮箱，含列表中的电话列）不能设为公开",
    ),
    "choice_without_choices.toml": (
        f"{CATEGORY}.field[2].choices",
        "单选、多选字段需要“choices”选项列表",
    ),
    "criterion_name_too_long.toml": ("criterion[1].name", "应为1至12个字的简称"),
    "deadline_without_offset.toml": ("campaign.deadline", "必须带时区"),
    "duplicate_category_key.toml": ("category", "“key = volunteer”重复"),
    "duplicate_field_key.toml": (f"{CATEGORY}.field", "“key = name”重复"),
    "field_check_at_campaign_level.toml": (
        "criterion[2].check",
        "检查方式“max_chars”针对具体字段，只能写在类别的 [[category.criterion]] 中",
    ),
    "invalid_toml_date.toml": ("第11行", "TOML 语法错误"),
    "process_rule_in_a_category.toml": (
        "criterion[1].check",
        "检查方式“forwarding”针对整个活动的工作，只能写在全活动通用的 [[criterion]] 中",
    ),
    "layout_margin_out_of_range.toml": ("layout.margin_top_mm", "应为10到60之间的整数"),
    "calendar_day_both_holiday_and_working.toml": (
        "campaign.calendar.working_days",
        "2026-10-10不能既是假日又是工作日",
    ),
    "calendar_day_as_text.toml": (
        "campaign.calendar.holidays",
        "应为日期的数组（如 [2026-10-09]），其中有文字“10月9日”",
    ),
    "min_check_on_text_field.toml": (
        f"{CATEGORY}.criterion[3].field",
        "检查方式“min”不适用于文本字段“name”",
    ),
    "missing_campaign_table.toml": ("campaign", "缺少必填项“campaign”"),
    "missing_check_parameter.toml": (f"{CATEGORY}.criterion[1].years", "缺少必填项“years”"),
    "missing_label.toml": (f"{CATEGORY}.field[2].label", "缺少必填项“label”"),
    "name_field_missing.toml": (f"{CATEGORY}.name_field", "字段“full_name”不存在"),
    "not_utf8.toml": ("not_utf8.toml", "不是 UTF-8 编码的文本文件"),
    "parent_not_loaded.toml": ("campaign.parent", "上级活动“national-2099”尚未载入"),
    "parts_on_text_field.toml": (f"{CATEGORY}.field[1].parts", "只有地址字段可以分级（parts）"),
    "past_winner_years_reversed.toml": (
        "campaign.past_winner_years",
        "应为两个年度组成的数组，如 [2019, 2023]",
    ),
    "personal_and_public.toml": (
        f"{CATEGORY}.field[2].public",
        "个人信息（personal = true）不能设为公开",
    ),
    "photo_min_above_max.toml": (f"{CATEGORY}.photos", "照片最少张数不能大于最多张数"),
    "quota_as_text.toml": ("campaign.quota_per_unit", "应为整数，而不是文字“3”"),
    "quota_check_with_field.toml": (
        "criterion[1].field",
        "检查方式“quota”不针对字段，请删除“field”",
    ),
    "registered_list_without_registration_item.toml": (
        f"{CATEGORY}.criterion[2].field",
        "列表字段“teams”的列表项中没有“大美志愿”注册项",
    ),
    "toml_syntax_error.toml": ("第5行", "TOML 语法错误"),
    "unknown_check.toml": (f"{CATEGORY}.criterion[2].check", "“registred”不是可用的取值"),
    "unknown_field_kind.toml": (f"{CATEGORY}.field[2].kind", "“mobile”不是可用的取值"),
    "unknown_level.toml": ("campaign.level", "“provincial”不是可用的取值"),
    "unknown_kind_used_by_check.toml": (f"{CATEGORY}.field[2].kind", "“mobile”不是可用的取值"),
    "consistency_names_text_field.toml": (
        f"{CATEGORY}.criterion[3].other",
        "检查方式“at_most_field”的“other”应为数值字段，“name”不是",
    ),
    "negative_years.toml": (f"{CATEGORY}.criterion[1].years", "应不小于1"),
    "parent_is_itself.toml": ("campaign.parent", "上级活动不能是本活动自己"),
    "parent_unit_without_parent.toml": (
        "campaign.parent_unit",
        "只有写明上级活动（parent）时才能填写在上级活动中的推荐单位代码",
    ),
    "unknown_setting_typo.toml": (
        "campaign.quota_per_unti",
        "未知的设置项“quota_per_unti”（是否拼写错误？）",
    ),
}

# The volunteer form of the notice's attachment, field by field, as REQUIREMENTS.md quotes it;
# the photo row is the category's photo rule; 推荐单位（盖章）· 年 月 日 is the signature block.
VOLUNTEER_LABELS = [
    "姓名",
    "性别",
    "出生年月",
    "政治面貌",
    "通讯地址",
    "联系方式",
    "所在科技志愿服务组织",
    "主要服务项目",
    "何时起参加科技志愿服务活动",
    "参加科技志愿服务活动次数",
    "主要事迹（不超过 1000 字）",
]
VOLUNTEER_PHOTO_LABEL = (
    "被推荐人照片（2—3 张，半身照、生活照、工作照均可，每张照片大小不低于 1M、不超过 3M）"
)

# Every rule of REQUIREMENTS.md that gx-2024 carries, with the checks that enforce it.
GX_CAMPAIGN_RULES = {
    "G1": {"quota"},
    "G2": {"deadline"},
    "G3": {"complete", "stamped_pdf"},
    "G4": {"past_winner"},
    "G6": {"photos"},
    "G7": {"forwarding"},
}
GX_CATEGORY_RULES = {
    "volunteer": {
        "V1": {"manual"},
        "V2": {"required", "manual"},
        "V3": {"min_years_before_reference", "manual"},
        "V4": {"manual"},
        "V5": {"registered"},
        "G5": {"max_chars"},
    },
    "organisation": {
        "O1": {"min_years_before_reference", "manual"},
        "O2": {"min", "manual"},
        "O3": {"min_count", "min", "manual"},
        "O4": {"manual"},
        "O5": {"registered"},
        "OC1": {"at_most_field"},
        "OC2": {"ratio_consistency"},
        "G5": {"max_chars"},
    },
    "project": {
        "P1": {"min_years_before_reference", "manual"},
        "P2": {"manual"},
        "P3": {"manual"},
        "P4": {"manual"},
        "P5": {"registered", "min", "manual"},
        "G5": {"max_chars"},
    },
    "service-point": {
        "S1": {"manual"},
        "S2": {"min", "min_count", "registered"},
        "S3": {"manual"},
        "SC1": {"at_most_field"},
        "G5": {"max_chars"},
    },
}
# The numbers of the notice: (category, rule, field) -> parameters.
GX_THRESHOLDS = {
    ("volunteer", "V3", "service_start"): {"years": 3},
    ("volunteer", "G5", "deeds"): {"max": 1000},
    ("organisation", "O1", "founded"): {"years": 3},
    ("organisation", "O2", "registered_volunteers"): {"min": 20},
    ("organisation", "O2", "regular_ratio"): {"min": 60},
    ("organisation", "O3", "projects"): {"min": 2},
    ("organisation", "O3", "activities"): {"min": 50},
    ("organisation", "OC1", "party_members"): {"other": "registered_volunteers"},
    ("organisation", "G5", "deeds"): {"max": 1000},
    ("project", "P1", "started"): {"years": 3},
    ("project", "P5", "volunteers"): {"min": 10},
    ("project", "G5", "summary"): {"max": 1000},
    ("service-point", "S2", "participation_ratio"): {"min": 60},
    ("service-point", "S2", "teams"): {"min": 5},
    ("service-point", "S2", "activity_kinds"): {"min": 5},
    ("service-point", "G5", "deeds"): {"max": 1000},
}


def load_gx(path=GX):
    """gx-2024.toml (or a variant), its parent national-2024-example loaded first if need be."""
    if not Campaign.objects.filter(key="national-2024-example").exists():
        load_campaign_file(NATIONAL_2024)
    return load_campaign_file(path)


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Campaign, Category, FieldSpec, Criterion)
    }


def snapshot():
    """Every stored value of every campaign, category, field and criterion."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Campaign, Category, FieldSpec, Criterion)
    }


def rules_by_id(criteria):
    found = {}
    for criterion in criteria:
        found.setdefault(criterion.rule_id, set()).add(criterion.check_kind)
    return found


def write_variant(source: Path, tmp_path: Path, *changes, name=None) -> Path:
    """A copy of ``source`` with each (old, new) replaced exactly once."""
    text = source.read_text(encoding="utf-8")
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / (name or source.name)
    path.write_text(text, encoding="utf-8")
    return path


# The real campaign files ---------------------------------------------------------------------


def test_gx_2024_campaign_settings_are_read_back_from_the_database(db):
    load_gx()
    gx = Campaign.objects.get(key="gx-2024")
    assert gx.title == "2024年度科技志愿服务先进典型推选宣传活动"
    assert gx.level == "province"
    assert gx.document_number == "桂科协组发〔2025〕7号"
    assert gx.issued_on == date(2025, 1, 24)
    assert gx.issuer == "广西壮族自治区科学技术协会"
    assert gx.organiser == "自治区科协组织宣传部"
    assert gx.forward_to == "中国科协"
    assert gx.deadline == datetime(2025, 2, 13, 23, 59, 59, tzinfo=CHINA)
    assert (
        gx.deadline.timestamp() == datetime.fromisoformat("2025-02-13T15:59:59+00:00").timestamp()
    )
    assert gx.reference_date == date(2024, 12, 31)
    assert gx.quota_per_unit == 3
    assert (gx.past_winner_from, gx.past_winner_to) == (2019, 2023)
    assert gx.stamped_pdf_max_bytes == 20 * MB
    assert gx.contacts == {
        "office": "自治区科协组织宣传部",
        "people": ["陈意明", "何永格"],
        "phones": ["0771-2863980", "0771-2630650"],
        "email": "gxkxzb@126.com",
    }
    assert (gx.parent.key, gx.parent_unit) == ("national-2024-example", "gx-cast")
    assert gx.source_name == "gx-2024.toml"
    assert gx.source == GX.read_text(encoding="utf-8")


def test_gx_2024_has_the_four_categories_in_order_with_their_form_titles_and_quota(db):
    load_gx()
    categories = Category.objects.filter(campaign__key="gx-2024").order_by("order")
    assert [(c.key, c.rule_prefix, c.name, c.form_title) for c in categories] == [
        ("volunteer", "V", "最美科技志愿者", "“科技志愿者”先进典型推荐表"),
        ("organisation", "O", "最佳科技志愿服务组织", "“科技志愿服务组织”先进典型推荐表"),
        ("project", "P", "最佳科技志愿服务项目", "“科技志愿服务项目”先进典型推荐表"),
        (
            "service-point",
            "S",
            "最美科技志愿服务点（社区或村）",
            "“科技志愿服务点（社区或村）”典型事迹推荐表",
        ),
    ]
    assert [c.quota for c in categories] == [3, 3, 3, 3]


def test_gx_2024_photo_rules_are_2_to_3_for_volunteers_and_exactly_2_elsewhere(db):
    load_gx()
    photos = {
        c.key: (c.photo_min, c.photo_max, c.photo_min_bytes, c.photo_max_bytes)
        for c in Category.objects.filter(campaign__key="gx-2024")
    }
    assert photos == {
        "volunteer": (2, 3, 1048576, 3145728),
        "organisation": (2, 2, 1048576, 3145728),
        "project": (2, 2, 1048576, 3145728),
        "service-point": (2, 2, 1048576, 3145728),
    }
    volunteer = Category.objects.get(campaign__key="gx-2024", key="volunteer")
    assert volunteer.photo_label == VOLUNTEER_PHOTO_LABEL


def test_gx_2024_volunteer_form_has_every_official_label_verbatim_and_in_order(db):
    load_gx()
    fields = list(
        FieldSpec.objects.filter(category__campaign__key="gx-2024", category__key="volunteer")
    )
    form_fields = [f.label for f in fields if f.kind != "registration"]
    assert form_fields == VOLUNTEER_LABELS
    # G8: the 大美志愿 registration is recorded in every category, besides the form's own rows.
    assert [f.label for f in fields if f.kind == "registration"] == ["“大美志愿”微信小程序注册情况"]
    personal = {f.label for f in fields if f.personal}
    assert personal == {"出生年月", "政治面貌", "通讯地址", "联系方式"}
    assert not any(f.public for f in fields if f.personal)


def test_gx_2024_service_point_name_is_an_address_in_the_five_official_parts(db):
    load_gx()
    name = FieldSpec.objects.get(
        category__campaign__key="gx-2024", category__key="service-point", key="name"
    )
    assert (name.label, name.kind) == ("服务点名称", "address")
    assert [part["label"] for part in name.options["parts"]] == [
        "省（区、市）",
        "市",
        "县（区）",
        "街道（乡镇）",
        "社区（村）",
    ]


def test_gx_2024_carries_every_rule_of_the_notice_with_its_check(db):
    load_gx()
    campaign_wide = Criterion.objects.filter(campaign__key="gx-2024", category__isnull=True)
    assert rules_by_id(campaign_wide) == GX_CAMPAIGN_RULES
    for key, expected in GX_CATEGORY_RULES.items():
        criteria = Criterion.objects.filter(campaign__key="gx-2024", category__key=key)
        assert rules_by_id(criteria) == expected, key
    every_id = {c.rule_id for c in Criterion.objects.filter(campaign__key="gx-2024")}
    wanted = {
        f"{p}{n}"
        for p, last in (("V", 5), ("O", 5), ("P", 5), ("S", 3), ("G", 7))
        for n in range(1, last + 1)
    }
    assert wanted <= every_id


def test_gx_2024_criteria_carry_a_plain_name_shown_beside_their_id(db):
    load_gx()
    criteria = Criterion.objects.filter(campaign__key="gx-2024")
    assert all(c.name for c in criteria)
    assert criteria.get(rule_id="G1").named_id == "名额（G1）"
    assert criteria.get(check_kind="complete").named_id == "必填项（G3）"
    load_campaign_file(MINIMAL)  # a file without names: the bare ID
    assert Criterion.objects.filter(name="").first().named_id in {"G1", "V3", "V5"}


def test_gx_2024_machine_checks_carry_the_numbers_of_the_notice(db):
    load_gx()
    found = {
        (c.category.key, c.rule_id, c.field): c.params
        for c in Criterion.objects.filter(campaign__key="gx-2024", category__isnull=False)
        if c.params
    }
    for where, params in GX_THRESHOLDS.items():
        assert found[where] == params, where
    deeds = FieldSpec.objects.get(
        category__campaign__key="gx-2024", category__key="volunteer", key="deeds"
    )
    assert deeds.options["max_chars"] == 1000
    warnings = {
        c.rule_id for c in Criterion.objects.filter(campaign__key="gx-2024", severity="warning")
    }
    assert warnings == {"G3", "G4", "OC2"}


def test_national_example_loads_with_quota_2_founding_2_years_and_3_to_5_photos(db):
    load_campaign_file(NATIONAL)
    national = Campaign.objects.get(key="national-2023-example")
    assert (national.level, national.year) == ("national", 2023)
    assert national.issuer == "中国科学技术协会"
    assert national.deadline == datetime(2024, 3, 15, 23, 59, 59, tzinfo=CHINA)
    assert national.reference_date == date(2023, 12, 31)
    assert national.quota_per_unit == 2
    categories = list(national.categories.order_by("order"))
    assert [c.key for c in categories] == ["volunteer", "organisation", "project", "service-point"]
    assert {c.key: c.quota for c in categories} == dict.fromkeys(
        ["volunteer", "organisation", "project", "service-point"], 2
    )
    assert {
        (c.photo_min, c.photo_max, c.photo_min_bytes, c.photo_max_bytes) for c in categories
    } == {(3, 5, 1048576, 3145728)}
    o1 = Criterion.objects.get(
        campaign=national,
        category__key="organisation",
        rule_id="O1",
        check_kind="min_years_before_reference",
    )
    assert (o1.field, o1.params) == ("founded", {"years": 2})


def test_national_example_differs_from_gx_only_in_data_not_in_forms_or_rules(db):
    load_gx()
    load_campaign_file(NATIONAL)

    def forms(key):
        return [
            (c.key, c.name, c.form_title, [(f.key, f.label, f.kind) for f in c.fields.all()])
            for c in Category.objects.filter(campaign__key=key).order_by("order")
        ]

    def rules(key):
        return [
            (c.category.key if c.category else "", c.rule_id, c.check_kind, c.field)
            for c in Criterion.objects.filter(campaign__key=key).order_by(
                "category__order", "order"
            )
        ]

    assert forms("national-2023-example") == forms("gx-2024")
    assert rules("national-2023-example") == rules("gx-2024")


def test_national_example_accepts_an_organisation_founded_exactly_2_years_before_reference(db):
    national = load_campaign_file(NATIONAL)
    unit = make_unit(national)
    member = make_member(unit)
    now = datetime(2024, 3, 1, 10, 0, tzinfo=CHINA)

    def o1(founded):
        nomination = complete_nomination(
            member, national, unit, "organisation", photos=0, now=now, founded=founded
        )
        [result] = [r for r in evaluate(nomination, now=now).by_rule("O1") if r.field == "founded"]
        return result.status

    assert o1("2021-12-31") == PASS
    assert o1("2022-01-01") == FAIL


def test_csj_example_is_a_city_campaign_with_three_categories_and_one_place_each(db):
    load_campaign_file(CSJ)
    csj = Campaign.objects.get(key="csj-2025-example")
    assert (csj.level, csj.year, csj.quota_per_unit) == ("city", 2025, 1)
    assert csj.parent is None
    assert csj.deadline == datetime(2026, 1, 16, 17, 0, tzinfo=CHINA)
    categories = list(csj.categories.order_by("order"))
    assert [c.key for c in categories] == ["volunteer", "organisation", "project"]
    assert [c.quota for c in categories] == [1, 1, 1]
    assert not Criterion.objects.filter(campaign=csj, rule_id__startswith="S").exists()


def test_a_campaign_names_its_parent_once_the_parent_is_loaded(db, tmp_path):
    national = load_campaign_file(NATIONAL)
    child = write_variant(
        CSJ,
        tmp_path,
        ("quota_per_unit = 1 ", 'parent = "national-2023-example"\nquota_per_unit = 1 '),
    )
    assert load_campaign_file(child).parent == national


def test_minimal_valid_file_the_malformed_files_start_from_loads(db):
    campaign = load_campaign_file(MINIMAL)
    assert campaign.key == "mini-2024"
    assert [f.key for f in campaign.categories.get().fields.all()] == [
        "name",
        "phone",
        "service_start",
        "teams",
    ]


def test_announced_changes_of_working_days_are_read_from_the_file(db, tmp_path):
    """[campaign.calendar]: a later announced holiday and 调休 working day, kept as ISO dates."""
    changed = write_variant(
        MINIMAL,
        tmp_path,
        (
            "[[criterion]]",
            "[campaign.calendar]\nholidays = [2026-10-09]\nworking_days = [2026-10-10]\n\n"
            "[[criterion]]",
        ),
    )
    campaign = load_campaign_file(changed)
    assert campaign.calendar == {"holidays": ["2026-10-09"], "working_days": ["2026-10-10"]}
    assert load_campaign_file(MINIMAL).calendar == {}


# Malformed files -----------------------------------------------------------------------------


def test_every_malformed_file_has_its_expected_problem_listed_here():
    assert sorted(p.name for p in MALFORMED.glob("*.toml")) == sorted(MALFORMED_CASES)
    assert len(MALFORMED_CASES) >= 12


@pytest.mark.parametrize("name", sorted(MALFORMED_CASES))
def test_malformed_file_is_refused_naming_file_key_and_problem_and_nothing_is_written(db, name):
    load_gx()  # something already stored, which must stay as it is
    before = snapshot()
    where, words = MALFORMED_CASES[name]
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_file(MALFORMED / name)
    message = str(refused.value)
    assert message.startswith(str(MALFORMED / name) if name == "not_utf8.toml" else name)
    assert all(line.split("：", 1)[0].endswith(name) for line in message.splitlines())
    assert any(where in line and words in line for line in message.splitlines()), message
    assert snapshot() == before
    assert counts()["Campaign"] == 2  # gx-2024 and its parent


@pytest.mark.parametrize("name", sorted(MALFORMED_CASES))
def test_malformed_file_for_an_existing_campaign_leaves_that_campaign_untouched(db, name):
    existing = load_campaign_file(MINIMAL)
    before, numbers = snapshot(), counts()
    with pytest.raises(CampaignFileError):
        load_campaign_file(MALFORMED / name)
    assert counts() == numbers
    assert snapshot() == before
    existing.refresh_from_db()
    assert existing.source == MINIMAL.read_text(encoding="utf-8")


def test_syntax_error_names_line_and_column_of_the_unterminated_string(db):
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_file(MALFORMED / "toml_syntax_error.toml")
    assert refused.value.problems == ["第5行第17列：TOML 语法错误（Illegal character '\\n'）"]


def test_every_problem_of_a_file_is_reported_at_once(db, tmp_path):
    path = write_variant(
        MINIMAL,
        tmp_path,
        ('level = "province"', 'level = "provincial"'),
        ('  kind = "phone"\n', '  kind = "mobile"\n'),
        ('check = "registered"', 'check = "registred"'),
        name="three-problems.toml",
    )
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_file(path)
    assert refused.value.problems == [
        "campaign.level：“provincial”不是可用的取值；可用：county、city、province、national",
        # every field kind, in FieldKind's order (a new kind joins the list)
        f"{CATEGORY}.field[2].kind：“mobile”不是可用的取值；可用：{'、'.join(FieldKind.values)}",
        f"{CATEGORY}.criterion[2].check：“registred”不是可用的取值；可用：at_most_field、complete、"
        "deadline、forwarding、manual、max、max_chars、min、min_count、min_years_before_reference、"
        "past_winner、photos、quota、ratio_consistency、registered、required、stamped_pdf",
    ]
    assert counts() == dict.fromkeys(["Campaign", "Category", "FieldSpec", "Criterion"], 0)


def test_missing_file_is_refused_by_name(db, tmp_path):
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_file(tmp_path / "no-such-campaign.toml")
    assert str(refused.value) == f"{tmp_path / 'no-such-campaign.toml'}：文件不存在"


def test_dropping_a_category_that_holds_nominations_is_refused_and_nothing_is_written(
    gx, unit, member, tmp_path
):
    complete_nomination(member, gx, unit, "service-point", photos=0)
    text = GX.read_text(encoding="utf-8")
    without = text[: text.index("# （四）最美科技志愿服务点")]
    path = tmp_path / "gx-2024.toml"
    path.write_text(without.replace("quota_per_unit = 3 ", "quota_per_unit = 2 "), "utf-8")
    before = snapshot()
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_file(path)
    assert refused.value.problems == [
        "类别“最美科技志愿服务点（社区或村）”已有推荐，不能从活动文件中删除"
    ]
    assert snapshot() == before
    gx.refresh_from_db()
    assert gx.quota_per_unit == 3


# The load_campaign command -------------------------------------------------------------------


def test_load_campaign_command_reports_the_loaded_campaign(db):
    call_command("load_campaign", str(NATIONAL_2024), stdout=StringIO())
    out = StringIO()
    call_command("load_campaign", str(GX), stdout=out)
    assert out.getvalue().strip() == (
        "已载入活动“2024年度科技志愿服务先进典型推选宣传活动”（gx-2024），4个类别。"
    )
    assert Campaign.objects.get(key="gx-2024").parent.key == "national-2024-example"


@pytest.mark.parametrize(
    ("path", "title", "categories"),
    [
        (NATIONAL, "2023年度科技志愿服务先进典型推选宣传活动（示例）", 4),
        (NATIONAL_2024, "2024年度科技志愿服务先进典型推选宣传活动（示例）", 4),
        (CSJ, "长三角示例市2025年度科技志愿服务先进典型推选宣传活动（示例）", 3),
    ],
)
def test_load_campaign_command_loads_each_example_file(db, path, title, categories):
    out = StringIO()
    call_command("load_campaign", str(path), stdout=out)
    key = path.stem
    assert f"已载入活动“{title}”（{key}），{categories}个类别。" in out.getvalue()


def test_load_campaign_command_refuses_a_bad_file_listing_every_problem(db):
    with pytest.raises(CommandError) as refused:
        call_command("load_campaign", str(MALFORMED / "unknown_setting_typo.toml"))
    assert str(refused.value) == (
        "活动文件有误，未载入：\n"
        "unknown_setting_typo.toml：campaign.quota_per_unit：缺少必填项“quota_per_unit”\n"
        "unknown_setting_typo.toml：campaign.quota_per_unti：未知的设置项“quota_per_unti”"
        "（是否拼写错误？）"
    )
    assert not Campaign.objects.exists()


# Reloading -----------------------------------------------------------------------------------


def test_reloading_an_edited_gx_file_updates_the_same_campaign_in_place(gx, unit, member, tmp_path):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    category_pks = dict(gx.categories.values_list("key", "pk"))
    name_field = FieldSpec.objects.get(category__campaign=gx, category__key="volunteer", key="name")
    criteria = Criterion.objects.filter(campaign=gx).count()
    edited = write_variant(
        GX,
        tmp_path,
        ("quota_per_unit = 3 ", "quota_per_unit = 2 "),
        ('  label = "姓名"\n', '  label = "姓名（与身份证一致）"\n'),
    )
    reloaded = load_campaign_file(edited)
    assert reloaded.pk == gx.pk
    assert Campaign.objects.count() == 2  # gx-2024 and its parent
    gx.refresh_from_db()
    assert gx.quota_per_unit == 2
    assert gx.source == edited.read_text(encoding="utf-8")
    assert dict(gx.categories.values_list("key", "pk")) == category_pks
    name_field_after = FieldSpec.objects.get(pk=name_field.pk)
    assert name_field_after.label == "姓名（与身份证一致）"
    assert Criterion.objects.filter(campaign=gx).count() == criteria
    nomination.refresh_from_db()
    assert nomination.category_id == category_pks["volunteer"]
    assert nomination.category.quota == 2


def test_reloading_removes_fields_and_criteria_no_longer_in_the_file(gx, tmp_path):
    edited = write_variant(
        GX,
        tmp_path,
        (
            '  [[category.field]]\n  key = "projects"\n  label = "主要服务项目"\n  kind = "text"\n'
            '  group = "服务情况"\n  public = true\n\n',
            "",
        ),
        (
            '  [[category.criterion]]\n  id = "V2"\n  name = "服务特色"\n'
            '  text = "主要服务内容特色鲜明。"\n'
            '  check = "manual"\n  field = "projects"\n\n',
            "",
        ),
    )
    load_campaign_file(edited)
    volunteer = gx.categories.get(key="volunteer")
    assert "projects" not in [f.key for f in volunteer.fields.all()]
    assert [f.order for f in volunteer.fields.all()] == list(range(11))
    assert rules_by_id(volunteer.criteria.all())["V2"] == {"required"}


def test_loading_the_same_file_twice_duplicates_nothing(db):
    load_gx()
    before, stored = counts(), snapshot()
    load_gx()
    assert counts() == before
    gx_rows = {
        "Category": Category.objects.filter(campaign__key="gx-2024").count(),
        "FieldSpec": FieldSpec.objects.filter(category__campaign__key="gx-2024").count(),
        "Criterion": Criterion.objects.filter(campaign__key="gx-2024").count(),
    }
    assert gx_rows == {"Category": 4, "FieldSpec": 45, "Criterion": 45}
    after = snapshot()
    assert after["Category"] == stored["Category"]
    assert after["FieldSpec"] == stored["FieldSpec"]


def test_the_test_campaign_is_what_loading_its_file_writes(db):
    """The ``gx`` fixture writes a kept copy of a real load (tests/fixtures/campaigns.py): the
    same rows in the same order, ids apart (the copy's categories are linked to the copy)."""

    def rows():
        category_keys = dict(Category.objects.values_list("pk", "key"))
        found = {}
        for model in (Campaign, Category, FieldSpec, Criterion, RubricItem):
            found[model.__name__] = [
                {
                    **values,
                    "id": None,
                    "loaded_at": None,
                    "campaign_id": None,
                    "category_id": category_keys.get(values.get("category_id")),
                }
                for values in model.objects.order_by("pk").values()
            ]
        return found

    loaded = load_gx()
    written, kept = rows(), CampaignRows(loaded)
    loaded.delete()
    copied = kept.write(loaded.parent)
    assert rows() == written
    assert len(written["RubricItem"]) > 0
    assert copied.loaded_at >= loaded.loaded_at


# The organisers' reference -------------------------------------------------------------------


def test_reference_documents_every_check_kind_field_kind_and_level():
    doc = DOC.read_text(encoding="utf-8")
    for name in [*CHECKS, *FieldKind.values, *Level.values]:
        assert f"`{name}`" in doc, name


def test_minimal_file_shown_in_the_reference_loads(db, tmp_path):
    doc = DOC.read_text(encoding="utf-8")
    example = doc.split("## 最小的完整文件", 1)[1].split("```toml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.toml"
    path.write_text(example, encoding="utf-8")
    campaign = load_campaign_file(path)
    assert (campaign.key, campaign.level, campaign.quota_per_unit) == ("example-2025", "city", 2)


def test_reloading_without_past_winner_years_clears_the_window_and_stamps_the_load(db, tmp_path):
    first = load_gx()
    text = GX.read_text(encoding="utf-8")
    changed = tmp_path / "gx-2024.toml"
    changed.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("past_winner_years")),
        encoding="utf-8",
    )
    second = load_campaign_file(changed)
    assert second.pk == first.pk
    assert (second.past_winner_from, second.past_winner_to) == (None, None)
    assert second.loaded_at > first.loaded_at
