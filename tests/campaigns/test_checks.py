"""The rule engine at every boundary the notice draws, with the message the unit will read."""

from datetime import datetime, timedelta

import pytest

from tests.conftest import BEFORE_DEADLINE, CHINA, MB, complete_nomination, photo_upload
from tuixuan.campaigns.checks import FAIL, MANUAL, PASS, WARNING
from tuixuan.nominations import services
from tuixuan.nominations.models import PastWinner, Photo, Status
from tuixuan.nominations.reports import evaluate
from tuixuan.units.models import Participation


def results(nomination, rule_id, now=BEFORE_DEADLINE):
    return evaluate(nomination, now=now).by_rule(rule_id)


def statuses(nomination, rule_id, field=None, now=BEFORE_DEADLINE):
    return [
        r.status for r in results(nomination, rule_id, now) if field is None or r.field == field
    ]


@pytest.fixture
def nominate(gx, unit, member):
    def make(key, photos=0, **changes):
        return complete_nomination(member, gx, unit, key, photos=photos, **changes)

    return make


def test_complete_nominations_in_all_four_categories_pass_every_machine_check(nominate):
    for key in ("volunteer", "organisation", "project", "service-point"):
        report = evaluate(nominate(key, photos=None), now=BEFORE_DEADLINE)
        assert report.passed, [str(r) for r in report.failures]
        assert {r.status for r in report.results} >= {PASS, MANUAL}


# O2: 注册科技志愿者人数 ≥ 20; 经常参与…比例 ≥ 60% ------------------------------------------------


def test_organisation_with_19_registered_volunteers_fails_o2(nominate):
    nomination = nominate("organisation", registered_volunteers=19, party_members=5)
    [result] = [r for r in results(nomination, "O2") if r.field == "registered_volunteers"]
    assert result.status == FAIL
    assert result.message == "“注册科技志愿者人数”为19，应不低于20。"


def test_organisation_with_20_registered_volunteers_passes_o2(nominate):
    nomination = nominate(
        "organisation", registered_volunteers=20, party_members=5, hours_per_person="1200"
    )
    assert statuses(nomination, "O2", "registered_volunteers") == [PASS]


def test_regular_participation_of_59_9_percent_fails_and_60_passes(nominate):
    low = nominate("organisation", regular_ratio="59.9")
    [result] = [r for r in results(low, "O2") if r.field == "regular_ratio"]
    assert result.status == FAIL
    assert "59.9%" in result.message and "60%" in result.message
    assert statuses(nominate("organisation", regular_ratio="60"), "O2", "regular_ratio") == [PASS]


def test_service_point_participation_of_59_9_percent_fails_s2(nominate):
    low = nominate("service-point", participation_ratio="59.9")
    assert statuses(low, "S2", "participation_ratio") == [FAIL]
    high = nominate("service-point", participation_ratio="60.0")
    assert statuses(high, "S2", "participation_ratio") == [PASS]


# G5: 1000 字, whitespace not counted, punctuation counted ----------------------------------------


def _story(characters: int) -> str:
    text = ("科技志愿，服务人民。" * 200)[:characters]
    # Spaces, full-width spaces, tabs and newlines between the characters must not count.
    return "\n\n".join(" ".join(text[i : i + 50]) for i in range(0, len(text), 50)) + "\u3000\t"


def test_story_of_exactly_1000_characters_with_spaces_and_newlines_passes_g5(nominate):
    nomination = nominate("volunteer", deeds=_story(1000))
    [result] = results(nomination, "G5")
    assert result.status == PASS
    assert "1000字" in result.message


def test_story_of_1001_characters_fails_g5_and_says_how_many_to_cut(nominate):
    nomination = nominate("project", summary=_story(1001))
    [result] = results(nomination, "G5")
    assert result.status == FAIL
    assert result.field == "summary"
    assert result.message == (
        "“项目概述及亮点成效（不超过 1000 字）”1001字（不计空格和换行），"
        "超过1000字的上限，请删减1字。"
    )


# G6: 2–3 photos for V, exactly 2 for O/P/S, each 1 MB ≤ size ≤ 3 MB ------------------------------


def _add_photo_row(nomination, size):
    """A photo row of an exact size, bypassing the upload check to test the engine itself."""
    return Photo.objects.create(
        nomination=nomination,
        file=f"photos/{nomination.uid}/{size}.jpg",
        content_type="image/jpeg",
        size=size,
        width=64,
        height=48,
        sha256="0" * 64,
    )


def test_photo_of_1048575_bytes_fails_g6_and_1048576_passes(nominate):
    nomination = nominate("organisation")
    _add_photo_row(nomination, 1048576)
    _add_photo_row(nomination, 1048575)
    [result] = results(nomination, "G6")
    assert result.status == FAIL
    assert result.message == "第2张照片为1,048,575 字节，不足 1M（1,048,576 字节）。"


@pytest.mark.parametrize(
    ("size", "fault"),
    [
        (0, "空文件"),
        (900 * 1024, "0.88MB，不足 1M（1,048,576 字节）"),
        (1048575, "1,048,575 字节，不足 1M（1,048,576 字节）"),
        (1048576, None),
        (3145728, None),
        (3145729, "3,145,729 字节，超过 3M（3,145,728 字节）"),
        (4 * 1048576, "4.00MB，超过 3M（3,145,728 字节）"),
    ],
)
def test_a_photos_size_fault_gives_exact_bytes_near_a_bound(gx, size, fault):
    assert gx.categories.get(key="organisation").photo_size_fault(size) == fault


def test_photo_of_3145728_bytes_passes_and_3145729_fails_g6(nominate):
    ok = nominate("organisation")
    _add_photo_row(ok, 3145728)
    _add_photo_row(ok, 1048576)
    assert statuses(ok, "G6") == [PASS]
    big = nominate("project")
    _add_photo_row(big, 3145729)
    _add_photo_row(big, 2 * MB)
    assert statuses(big, "G6") == [FAIL]


def test_photo_count_is_two_to_three_for_volunteers_and_exactly_two_elsewhere(nominate):
    volunteer = nominate("volunteer", photos=3)
    assert statuses(volunteer, "G6") == [PASS]
    organisation = nominate("organisation", photos=1)
    [result] = results(organisation, "G6")
    assert result.status == FAIL
    assert result.message == "照片应为2张，现有1张。"
    short = nominate("volunteer", photos=1)
    assert results(short, "G6")[0].message == "照片应为2—3张，现有1张。"


# V3, O1, P1: 3 years before the reference date 2024-12-31 -------------------------------------


def test_organisation_founded_exactly_3_years_before_reference_passes_o1(nominate):
    assert statuses(nominate("organisation", founded="2021-12-31"), "O1", "founded") == [PASS]


def test_organisation_founded_3_years_minus_a_day_before_reference_fails_o1(nominate):
    [result] = [r for r in results(nominate("organisation", founded="2022-01-01"), "O1") if r.field]
    assert result.status == FAIL
    assert result.message == (
        "“成立时间”为2022-01-01，至2024年12月31日不满3年（应不晚于2021年12月31日）。"
    )


def test_volunteer_service_starting_december_2021_passes_v3_and_january_2022_fails(nominate):
    assert statuses(nominate("volunteer", service_start="2021-12"), "V3", "service_start") == [PASS]
    assert statuses(nominate("volunteer", service_start="2022-01"), "V3", "service_start") == [FAIL]


def test_project_started_less_than_3_years_ago_fails_p1(nominate):
    assert statuses(nominate("project", started="2022-06"), "P1", "started") == [FAIL]


# O3, P5, S2 counts ----------------------------------------------------------------------------


def test_organisation_needs_2_brand_projects_and_50_activities(nominate):
    one = nominate("organisation", projects=["科技助农进万家"])
    [result] = [r for r in results(one, "O3") if r.field == "projects"]
    assert (result.status, result.message) == (
        FAIL,
        "“经常开展的科技志愿服务项目”共1项，应不少于2项。",
    )
    assert statuses(nominate("organisation", activities=49), "O3", "activities") == [FAIL]
    assert statuses(nominate("organisation", activities=50), "O3", "activities") == [PASS]


def test_project_needs_10_volunteers(nominate):
    assert statuses(nominate("project", volunteers=9), "P5", "volunteers") == [FAIL]
    assert statuses(nominate("project", volunteers=10), "P5", "volunteers") == [PASS]


def test_service_point_needs_5_teams_each_registered(nominate):
    registered = {"registered": True, "number": "DMZY-1"}
    four = [{"name": f"第{n}队", "registration": registered} for n in range(4)]
    assert statuses(nominate("service-point", teams=four), "S2", "teams") == [FAIL, PASS]
    unregistered = [*four, {"name": "青年突击队", "registration": {"registered": False}}]
    failed = [
        r for r in results(nominate("service-point", teams=unregistered), "S2") if r.status == FAIL
    ]
    assert [r.message for r in failed] == [
        "“组建的科技志愿服务队”中的“青年突击队”未在“大美志愿”微信小程序注册。"
    ]


def test_service_point_needs_5_distinct_activity_kinds_free_text_counts(nominate):
    four = ["理论宣讲", "科技培训", "农技推广", "科普讲座"]
    assert statuses(nominate("service-point", activity_kinds=four), "S2", "activity_kinds") == [
        FAIL
    ]
    with_other = [*four, "非遗技艺传习"]
    assert statuses(
        nominate("service-point", activity_kinds=with_other), "S2", "activity_kinds"
    ) == [PASS]
    repeated = [*four, "科普讲座 "]
    assert statuses(nominate("service-point", activity_kinds=repeated), "S2", "activity_kinds") == [
        FAIL
    ]


# G8 registration (V5, O5, P5, S2) ---------------------------------------------------------------


def test_volunteer_not_registered_on_dameizhiyuan_fails_v5(nominate):
    nomination = nominate("volunteer", registration={"registered": "否"})
    [result] = results(nomination, "V5")
    assert (result.status, result.message) == (FAIL, "未在“大美志愿”微信小程序注册。")


def test_registered_without_a_number_fails_with_its_own_message(nominate):
    nomination = nominate("organisation", registration={"registered": True, "number": ""})
    [result] = results(nomination, "O5")
    assert (result.status, result.message) == (FAIL, "已注册，但未填写注册名称或编号。")


# O consistency --------------------------------------------------------------------------------


def test_more_party_members_than_registered_volunteers_is_refused(nominate):
    nomination = nominate("organisation", party_members=121)
    [result] = results(nomination, "OC1")
    assert result.status == FAIL
    assert "不应多于" in result.message


def test_hours_per_person_off_by_more_than_one_percent_is_a_warning_not_a_refusal(nominate):
    # 24000 h / 120 people = 200 h; 202 is within 1 %, 202.1 is not.
    assert statuses(nominate("organisation", hours_per_person="202"), "OC2") == [PASS]
    off = nominate("organisation", hours_per_person="202.1")
    [result] = results(off, "OC2")
    assert result.status == WARNING
    assert "约为200.00" in result.message
    assert "OC2" not in {r.rule_id for r in evaluate(off, now=BEFORE_DEADLINE).failures}


# G1 quota, G2 deadline ------------------------------------------------------------------------


def test_deadline_second_itself_is_in_time_and_the_next_second_is_late(nominate):
    nomination = nominate("volunteer")
    last = datetime(2025, 2, 13, 23, 59, 59, tzinfo=CHINA)
    assert statuses(nomination, "G2", now=last) == [PASS]
    [late] = results(nomination, "G2", now=last + timedelta(seconds=1))
    assert late.status == FAIL
    assert late.message == (
        "已过报送截止时间2025年02月13日 23:59:59（北京时间），不能再提交或修改。"
    )


def test_an_extension_moves_the_deadline_for_that_unit_only(gx, nominate, unit):
    nomination = nominate("volunteer")
    later = datetime(2025, 2, 20, 18, 0, tzinfo=CHINA)
    Participation.objects.filter(unit=unit).update(extension_until=later)
    assert statuses(nomination, "G2", now=later - timedelta(hours=1)) == [PASS]
    assert statuses(nomination, "G2", now=later + timedelta(seconds=1)) == [FAIL]


def test_fourth_nomination_in_a_category_fails_g1(gx, unit, member, nominate):
    for seed in range(3):
        done = nominate("project", photos=2, name=f"项目{seed}")
        services.submit(member, done, now=BEFORE_DEADLINE)
    fourth = nominate("project", name="第四个项目")
    [result] = results(fourth, "G1")
    assert result.status == FAIL
    assert result.message == (
        "本单位在“最佳科技志愿服务项目”类别已提交3个推荐，每个类别不超过3个，名额已满；"
        "如需更换，请先撤回一个。"
    )
    assert statuses(nominate("volunteer"), "G1") == [PASS]


# G3 completeness and G4 past winners ----------------------------------------------------------


def test_missing_fields_are_each_named_once_under_the_one_rule_for_empty_fields(gx, unit, member):
    from tests.conftest import category

    draft = services.create_nomination(
        member, campaign=gx, category=category(gx, "volunteer"), unit=unit,
        values={"name": "李秀梅"}, now=BEFORE_DEADLINE,
    )  # fmt: skip
    report = evaluate(draft, now=BEFORE_DEADLINE)
    missing = {r.field: r.message for r in report.by_rule("G3") if r.status == FAIL}
    assert missing["phone"] == "“联系方式”为必填项，尚未填写。"
    # An empty field a rule of its own needs (V2, V3, V5) is reported there too, under G3 only.
    assert missing["organisation"] == "“所在科技志愿服务组织”为必填项，尚未填写。"
    assert {"service_start", "registration"} <= missing.keys()
    assert statuses(draft, "V2", "organisation") == statuses(draft, "V5") == []
    assert [r.field for r in report.results if r.status == FAIL].count("organisation") == 1


@pytest.mark.parametrize("listed_as", ["李秀梅", "李 秀梅", " 李秀梅\u3000", "李\t秀梅"])
def test_past_winner_with_same_normalised_name_is_flagged_as_g4(nominate, listed_as):
    PastWinner.objects.create(name=listed_as, normalised_name=_norm(listed_as), year=2021)
    [result] = results(nominate("volunteer"), "G4")
    assert result.status == WARNING
    assert "2021年度" in result.message


def test_traditional_characters_match_a_simplified_past_winner(nominate):
    PastWinner.objects.create(name="李秀梅", normalised_name=_norm("李秀梅"), year=2019)
    assert statuses(nominate("volunteer", name="李 秀 梅"), "G4") == [WARNING]
    PastWinner.objects.create(name="黃志強", normalised_name=_norm("黃志強"), year=2022)
    assert statuses(nominate("organisation", name="黄志强"), "G4") == [WARNING]


def test_past_winner_outside_2019_to_2023_is_not_a_match(nominate):
    PastWinner.objects.create(name="李秀梅", normalised_name=_norm("李秀梅"), year=2018)
    PastWinner.objects.create(name="李秀梅", normalised_name=_norm("李秀梅"), year=2024)
    assert statuses(nominate("volunteer"), "G4") == [PASS]


def _norm(name):
    from tuixuan.common.text import normalise_name

    return normalise_name(name)


def test_a_returned_nomination_may_be_resubmitted_after_the_deadline(gx, unit, member, organiser):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    services.return_for_revision(organiser, nomination, reason="请补充主要事迹")
    nomination.refresh_from_db()
    assert nomination.status == Status.RETURNED
    late = datetime(2025, 3, 1, tzinfo=CHINA)
    assert statuses(nomination, "G2", now=late) == [PASS]


def test_real_upload_flow_photos_are_counted(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    services.add_photo(member, nomination, photo_upload(seed=1), now=BEFORE_DEADLINE)
    assert statuses(nomination, "G6") == [FAIL]
    services.add_photo(member, nomination, photo_upload(seed=2), now=BEFORE_DEADLINE)
    assert statuses(nomination, "G6") == [PASS]


def test_a_submitted_nomination_is_judged_by_when_it_was_handed_in(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination.refresh_from_db()
    long_after = datetime(2026, 1, 1, tzinfo=CHINA)
    assert statuses(nomination, "G2", now=long_after) == [PASS]


# Checking many at once (the summary workbook) --------------------------------------------------


def test_checking_many_together_gives_each_the_report_it_gets_alone(gx, unit, member, other_unit):
    from tests.conftest import make_member
    from tuixuan.nominations.models import Nomination
    from tuixuan.nominations.reports import evaluate_many

    for seed in range(3):
        services.submit(
            member,
            complete_nomination(member, gx, unit, "project", name=f"项目{seed}"),
            now=BEFORE_DEADLINE,
        )
    complete_nomination(member, gx, unit, "project", name="第四个项目")  # G1 fails
    PastWinner.objects.create(name="李秀梅", normalised_name=_norm("李秀梅"), year=2021)
    complete_nomination(member, gx, unit, "volunteer", photos=1)  # G4 and G6
    later = datetime(2025, 2, 20, 18, 0, tzinfo=CHINA)
    Participation.objects.filter(unit=other_unit).update(extension_until=later)
    complete_nomination(make_member(other_unit), gx, other_unit, "volunteer", name="王强")
    chosen = list(Nomination.objects.order_by("pk"))
    now = later - timedelta(hours=1)  # past the deadline for one unit only (G2)

    together = dict(evaluate_many(gx, chosen, now=now))

    alone = {nomination: evaluate(nomination, now=now) for nomination in chosen}
    assert {n: r.results for n, r in together.items()} == {n: r.results for n, r in alone.items()}
    failing = {n.name: {r.rule_id for r in together[n].failures} for n in chosen}
    assert failing["第四个项目"] >= {"G1", "G2"} and "G1" not in failing["项目0"]
    assert "G6" in failing["李秀梅"] and "G2" not in failing["王强"]
    assert {r.status for r in together[chosen[4]].by_rule("G4")} == {WARNING}


def test_checking_many_costs_the_same_queries_for_two_or_twelve(gx, unit, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuixuan.nominations.models import Nomination
    from tuixuan.nominations.reports import evaluate_many

    for seed in range(12):
        complete_nomination(member, gx, unit, "volunteer", photos=0, name=f"志愿者{seed}")

    def queries(count):
        chosen = list(
            Nomination.objects.select_related("campaign", "category", "unit")
            .prefetch_related("photos", "category__fields")
            .order_by("pk")[:count]
        )
        with CaptureQueriesContext(connection) as captured:
            reports = list(evaluate_many(gx, chosen, now=BEFORE_DEADLINE))
        assert len(reports) == count
        return len(captured)

    assert queries(2) == queries(12)
