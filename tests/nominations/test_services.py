"""The lifecycle of a nomination: every transition, every refusal, and the audit trail."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from tests.conftest import (
    BEFORE_DEADLINE,
    CHINA,
    category,
    complete_nomination,
    make_member,
    photo_upload,
    scored_by_an_expert,
)
from tuixuan.common.exceptions import AppendOnlyError, Refused, RulesNotMet
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services
from tuixuan.nominations.models import Flag, FlagStatus, Nomination, PastWinner, Status
from tuixuan.nominations.trail import trail_of

AFTER_DEADLINE = datetime(2025, 2, 14, 0, 0, 0, tzinfo=CHINA)


@pytest.fixture
def submitted(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination.refresh_from_db()
    return nomination


def _walk_to(organiser, nomination, status):
    steps = [
        (Status.ACCEPTED, lambda n: services.accept(organiser, n)),
        (Status.REVIEWED, lambda n: services.mark_reviewed(organiser, scored_by_an_expert(n))),
        (Status.SHORTLISTED, lambda n: services.shortlist(organiser, n)),
        (Status.ANNOUNCED, lambda n: services.announce(organiser, n)),
        (Status.FORWARDED, lambda n: services.forward(organiser, n)),
    ]
    for state, step in steps:
        nomination = step(nomination)
        if state == status:
            break
    return nomination


def test_draft_saves_incomplete_values_and_keeps_no_unknown_keys(gx, unit, member):
    draft = services.create_nomination(
        member,
        campaign=gx,
        category=category(gx, "volunteer"),
        unit=unit,
        values={"name": " 李秀梅 ", "phone": "0771 2863980", "password": "x"},
        now=BEFORE_DEADLINE,
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.values == {"name": "李秀梅", "phone": "0771-2863980"}
    assert draft.name == "李秀梅"


def test_a_bad_value_is_refused_with_the_field_named_and_nothing_changes(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "organisation", photos=0)
    before = dict(nomination.values)
    with pytest.raises(Refused) as refused:
        services.update_nomination(
            member,
            nomination,
            {**before, "registered_volunteers": "二十", "regular_ratio": "160"},
            now=BEFORE_DEADLINE,
        )
    assert refused.value.errors == {
        "registered_volunteers": "“注册科技志愿者人数”：应填写数字。",
        "regular_ratio": "“经常参与科技志愿服务志愿者占组织中志愿者人数比例”："
        "百分比应在0到100之间（填写数字，如60表示60%）。",
    }
    nomination.refresh_from_db()
    assert nomination.values == before


def test_submit_with_failing_rules_is_refused_with_the_whole_report(gx, unit, member):
    nomination = complete_nomination(
        member, gx, unit, "organisation", registered_volunteers=19, party_members=3
    )
    with pytest.raises(RulesNotMet) as refused:
        services.submit(member, nomination, now=BEFORE_DEADLINE)
    assert refused.value.rule_id == "O2"
    assert refused.value.field == "registered_volunteers"
    assert "有1项不符合推荐条件，未能提交" in refused.value.message
    assert [r.rule_id for r in refused.value.report.failures] == ["O2"]
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT
    assert not AuditEvent.objects.filter(nomination=nomination, action="nomination.submit")


def test_submit_records_who_when_and_the_state_change(submitted, member):
    event = AuditEvent.objects.get(nomination=submitted, action="nomination.submit")
    assert (event.actor, event.from_state, event.to_state) == (
        member,
        Status.DRAFT,
        Status.SUBMITTED,
    )
    assert submitted.submitted_at == BEFORE_DEADLINE


def test_fourth_submission_in_a_category_is_refused_with_g1(gx, unit, member):
    for n in range(3):
        nomination = complete_nomination(member, gx, unit, "project", name=f"项目{n}")
        services.submit(member, nomination, now=BEFORE_DEADLINE)
    fourth = complete_nomination(member, gx, unit, "project", name="第四个项目")
    with pytest.raises(RulesNotMet) as refused:
        services.submit(member, fourth, now=BEFORE_DEADLINE)
    assert refused.value.rule_id == "G1"


def test_withdrawing_frees_the_quota_place(gx, unit, member):
    held = []
    for n in range(3):
        nomination = complete_nomination(member, gx, unit, "project", name=f"项目{n}")
        services.submit(member, nomination, now=BEFORE_DEADLINE)
        held.append(nomination)
    services.withdraw(member, held[0], reason="更换人选", now=BEFORE_DEADLINE)
    fourth = complete_nomination(member, gx, unit, "project", name="替补项目")
    services.submit(member, fourth, now=BEFORE_DEADLINE)
    fourth.refresh_from_db()
    assert fourth.status == Status.SUBMITTED
    event = AuditEvent.objects.get(nomination=held[0], action="nomination.withdraw")
    assert (event.reason, event.to_state) == ("更换人选", Status.WITHDRAWN)


def test_other_units_places_are_their_own(gx, unit, member, other_unit):
    other_member = make_member(other_unit)
    for n in range(3):
        nomination = complete_nomination(member, gx, unit, "project", name=f"项目{n}")
        services.submit(member, nomination, now=BEFORE_DEADLINE)
    theirs = complete_nomination(other_member, gx, other_unit, "project")
    services.submit(other_member, theirs, now=BEFORE_DEADLINE)
    theirs.refresh_from_db()
    assert theirs.status == Status.SUBMITTED


def test_after_the_deadline_submit_edit_and_withdraw_are_refused_with_g2(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    with pytest.raises(RulesNotMet) as refused:
        services.submit(member, nomination, now=AFTER_DEADLINE)
    assert refused.value.rule_id == "G2"
    with pytest.raises(Refused) as refused:
        services.update_nomination(member, nomination, nomination.values, now=AFTER_DEADLINE)
    assert (refused.value.rule_id, refused.value.message) == (
        "G2",
        "已过报送截止时间，不能修改；如确需延期，请联系组织方。",
    )
    with pytest.raises(Refused) as refused:
        services.withdraw(member, nomination, now=AFTER_DEADLINE)
    assert refused.value.rule_id == "G2"
    with pytest.raises(Refused) as refused:
        services.add_photo(member, nomination, photo_upload(seed=9), now=AFTER_DEADLINE)
    assert refused.value.rule_id == "G2"


def test_an_extension_lets_that_unit_submit_late(gx, unit, member):
    unit.participations.update(extension_until=AFTER_DEADLINE + timedelta(days=3))
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=AFTER_DEADLINE + timedelta(days=1))
    nomination.refresh_from_db()
    assert nomination.status == Status.SUBMITTED


def test_return_needs_a_reason_and_the_unit_can_fix_and_resubmit(submitted, member, organiser):
    with pytest.raises(Refused) as refused:
        services.return_for_revision(organiser, submitted, reason="  ")
    assert refused.value.message == "退回修改必须填写理由。"
    services.return_for_revision(organiser, submitted, reason="出生年月有误")
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    event = AuditEvent.objects.filter(nomination=submitted).last()
    assert (event.action, event.reason, event.actor) == (
        "nomination.return",
        "出生年月有误",
        organiser,
    )
    late = AFTER_DEADLINE + timedelta(days=5)
    services.update_nomination(
        member, submitted, {**submitted.values, "birth": "1979-06"}, now=late
    )
    services.submit(member, submitted, now=late)
    submitted.refresh_from_db()
    assert (submitted.status, submitted.values["birth"]) == (Status.SUBMITTED, "1979-06")


def test_the_whole_organiser_path_to_selected_is_audited(submitted, organiser):
    nomination = _walk_to(organiser, submitted, Status.FORWARDED)
    services.record_result(organiser, nomination, selected=True, reason="中国科协公布")
    nomination.refresh_from_db()
    assert nomination.status == Status.SELECTED
    trail = list(
        AuditEvent.objects.filter(nomination=nomination)
        .exclude(action__in=["nomination.create", "photo.add"])
        .values_list("from_state", "to_state")
    )
    assert trail == [
        ("draft", "submitted"),
        ("submitted", "accepted"),
        ("accepted", "reviewed"),
        ("reviewed", "shortlisted"),
        ("shortlisted", "announced"),
        ("announced", "forwarded"),
        ("forwarded", "selected"),
    ]


def test_not_selected_is_recorded_too(submitted, organiser):
    nomination = _walk_to(organiser, submitted, Status.FORWARDED)
    services.record_result(organiser, nomination, selected=False)
    nomination.refresh_from_db()
    assert nomination.status == Status.NOT_SELECTED


@pytest.mark.parametrize(
    "action",
    [
        lambda user, n: services.accept(user, n),
        lambda user, n: services.return_for_revision(user, n, reason="x"),
        lambda user, n: services.shortlist(user, n),
        lambda user, n: services.forward(user, n),
    ],
)
def test_a_unit_member_cannot_act_as_organiser(submitted, member, action):
    with pytest.raises(PermissionDenied):
        action(member, submitted)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_another_units_member_cannot_edit_submit_or_withdraw(gx, unit, member, other_unit):
    stranger = make_member(other_unit)
    nomination = complete_nomination(member, gx, unit, "volunteer")
    for action in (
        lambda: services.update_nomination(stranger, nomination, {}, now=BEFORE_DEADLINE),
        lambda: services.submit(stranger, nomination, now=BEFORE_DEADLINE),
        lambda: services.withdraw(stranger, nomination, now=BEFORE_DEADLINE),
        lambda: services.add_photo(stranger, nomination, photo_upload(), now=BEFORE_DEADLINE),
    ):
        with pytest.raises(PermissionDenied):
            action()
    assert not stranger.has_perm("nominations.see", nomination)
    with pytest.raises(PermissionDenied):
        services.create_nomination(
            stranger,
            campaign=gx,
            category=category(gx, "volunteer"),
            unit=unit,
            now=BEFORE_DEADLINE,
        )


def test_organiser_of_another_campaign_cannot_review(gx, submitted, tmp_path):
    from django.contrib.auth import get_user_model

    from tests.conftest import CAMPAIGNS
    from tuixuan.campaigns.loader import load_campaign_file
    from tuixuan.units.models import Role, RoleKind

    text = (CAMPAIGNS / "gx-2024.toml").read_text(encoding="utf-8")
    other_file = tmp_path / "other.toml"
    other_file.write_text(text.replace('key = "gx-2024"', 'key = "other-2024"'), "utf-8")
    other = load_campaign_file(other_file)
    stranger = get_user_model().objects.create_user("other-organiser")
    Role.objects.create(user=stranger, kind=RoleKind.ORGANISER, campaign=other)
    with pytest.raises(PermissionDenied):
        services.accept(stranger, submitted)


def test_transition_from_the_wrong_state_is_refused_by_name(submitted, organiser):
    with pytest.raises(Refused) as refused:
        services.forward(organiser, submitted)
    assert refused.value.message == "当前状态为“已提交”，不能推报。"


def test_submitted_nomination_cannot_be_edited(submitted, member):
    with pytest.raises(Refused) as refused:
        services.update_nomination(member, submitted, submitted.values, now=BEFORE_DEADLINE)
    assert refused.value.message == "当前状态为“已提交”，不能修改。"


def test_a_unit_not_taking_part_cannot_nominate(gx, member, unit):
    unit.participations.all().delete()
    with pytest.raises(Refused) as refused:
        services.create_nomination(
            member,
            campaign=gx,
            category=category(gx, "volunteer"),
            unit=unit,
            now=BEFORE_DEADLINE,
        )
    assert "不在该活动的推荐单位名单中" in refused.value.message
    assert not Nomination.objects.exists()


def test_past_winner_match_is_flagged_on_submit_and_the_organiser_decides(
    gx, unit, member, organiser
):
    winner = PastWinner.objects.create(name="李秀梅", normalised_name="李秀梅", year=2021)
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    flag = Flag.objects.get(nomination=nomination)
    assert (flag.rule_id, flag.past_winner, flag.status) == ("G4", winner, FlagStatus.OPEN)
    with pytest.raises(Refused):
        services.decide_flag(organiser, flag, confirmed=False, reason="")
    with pytest.raises(PermissionDenied):
        services.decide_flag(member, flag, confirmed=False, reason="同名不同人")
    services.decide_flag(organiser, flag, confirmed=False, reason="同名不同人，出生年月不同")
    flag.refresh_from_db()
    assert (flag.status, flag.decided_by) == (FlagStatus.CLEARED, organiser)


def test_the_audit_log_cannot_be_rewritten(submitted):
    event = AuditEvent.objects.filter(nomination=submitted).first()
    event.reason = "改写历史"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(nomination=submitted).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_audit_events_hold_no_personal_data(submitted):
    personal = [submitted.values[key] for key in ("phone", "address", "birth", "political_status")]
    for event in AuditEvent.objects.filter(nomination=submitted):
        text = f"{event.action}{event.reason}{event.data}"
        assert not any(value in text for value in personal)


# One audit event per editing burst ---------------------------------------------------------------


NOW = BEFORE_DEADLINE


def _saves(nomination):
    return list(AuditEvent.objects.filter(nomination=nomination, action="nomination.update"))


def test_the_saves_of_one_editing_burst_are_one_audit_event_naming_every_field_changed(
    gx, unit, member
):
    """Auto-saves as the clerk types, and 保存草稿 pressed again and again, are one event: the
    trail still says who changed which fields, and when they last did."""
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    values = dict(nomination.values)
    for count in (12, 13, 14):
        services.update_nomination(member, nomination, {**values, "activity_count": count}, now=NOW)
    services.update_nomination(
        member, nomination, {**values, "activity_count": 14, "deeds": "新的事迹"}, now=NOW
    )
    (burst,) = _saves(nomination)
    assert burst.actor == member and burst.data["fields"] == ["activity_count", "deeds"]
    nomination.refresh_from_db()
    assert burst.at >= nomination.updated_at - timedelta(seconds=1)
    (line,) = [line for line in trail_of(nomination) if line.fields]
    assert line.fields == ("参加科技志愿服务活动次数", "主要事迹（不超过 1000 字）")


def test_an_upload_another_person_or_a_pause_ends_the_burst(gx, unit, member, monkeypatch):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    values = dict(nomination.values)
    services.update_nomination(member, nomination, {**values, "activity_count": 12}, now=NOW)
    services.add_photo(member, nomination, photo_upload(seed=1), now=NOW)
    services.update_nomination(member, nomination, {**values, "activity_count": 13}, now=NOW)
    colleague = make_member(unit, "colleague")
    services.update_nomination(colleague, nomination, {**values, "activity_count": 14}, now=NOW)
    monkeypatch.setattr(services, "EDITING_BURST", timedelta(0))
    services.update_nomination(colleague, nomination, {**values, "activity_count": 15}, now=NOW)
    saves = _saves(nomination)
    assert [(e.actor, e.data["fields"]) for e in saves] == [
        (member, ["activity_count"]),
        (member, ["activity_count"]),
        (colleague, ["activity_count"]),
        (colleague, ["activity_count"]),
    ]
    with pytest.raises(AppendOnlyError):
        saves[0].save()  # only the burst's own service amends its newest event


def test_a_service_points_name_the_migration_could_not_split_holds_back_submission(
    gx, unit, member
):
    """A name kept whole from before the five-level template (or a part without its level's
    word) is listed by 检查 on its field and refuses 提交 until the clerk fills in the levels."""
    from tuixuan.nominations.reports import evaluate

    point = complete_nomination(member, gx, unit, "service-point")
    assert evaluate(point, now=BEFORE_DEADLINE).passed
    for stored in ("南宁武鸣城厢平阳", {**point.values["name"], "county": "武鸣"}):
        Nomination.objects.filter(pk=point.pk).update(values={**point.values, "name": stored})
        point.refresh_from_db()
        report = evaluate(point, now=BEFORE_DEADLINE)
        [failure] = [r for r in report.failures if r.field == "name"]
        assert "尚未按各级填写" in failure.message and failure.rule_id == "G3"
        with pytest.raises(RulesNotMet):
            services.submit(member, point, now=BEFORE_DEADLINE)
        point.refresh_from_db()
        assert point.status == Status.DRAFT
