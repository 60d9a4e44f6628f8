"""The state machine is one table: every transition moves only from its states, refuses with its
word, and the pages ask state-aware permissions derived from the same table."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.nominations.transitions import TRANSITIONS

# How each transition is asked for, as the pages and the API ask for it.
CALLS = {
    "submit": lambda who, n: services.submit(who["member"], n, now=BEFORE_DEADLINE),
    "withdraw": lambda who, n: services.withdraw(who["member"], n, now=BEFORE_DEADLINE),
    "return": lambda who, n: services.return_for_revision(who["organiser"], n, reason="补充"),
    "accept": lambda who, n: services.accept(who["organiser"], n),
    "review": lambda who, n: services.mark_reviewed(who["organiser"], n),
    "shortlist": lambda who, n: services.shortlist(who["organiser"], n),
    "announce": lambda who, n: services.announce(who["organiser"], n),
    "forward": lambda who, n: services.forward(who["organiser"], n, today=date(2099, 1, 1)),
    "select": lambda who, n: services.record_result(who["organiser"], n, selected=True),
    "reject": lambda who, n: services.record_result(who["organiser"], n, selected=False),
}


def test_every_transition_in_the_table_can_be_asked_for():
    assert set(CALLS) == set(TRANSITIONS)


@pytest.fixture
def who(gx, unit, member, organiser):
    return {"member": member, "organiser": organiser, "nomination": None}


@pytest.fixture
def extended(unit):
    """The pages and permissions run at today's date, after the 2025 deadline: extend it."""
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    return unit


def _in_state(who, gx, unit, state):
    nomination = complete_nomination(who["member"], gx, unit, "volunteer")
    Nomination.objects.filter(pk=nomination.pk).update(status=state)
    nomination.refresh_from_db()
    return nomination


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_a_transition_from_any_other_state_is_refused_with_its_word(who, gx, unit, action):
    transition = TRANSITIONS[action]
    outside = sorted(set(Status) - set(transition.sources) - {Status.WITHDRAWN})
    if action == "shortlist":  # from 形式审查通过 it takes 标记为已评审 with it (its own test)
        outside.remove(Status.ACCEPTED)
    nomination = complete_nomination(who["member"], gx, unit, "volunteer")
    for state in outside[:3]:
        Nomination.objects.filter(pk=nomination.pk).update(status=state)
        nomination.refresh_from_db()
        events = AuditEvent.objects.count()
        with pytest.raises(Refused) as refused:
            CALLS[action](who, nomination)
        label = Status(state).label
        # The organiser is told the steps that lead there, where some do (what_first's test).
        then = "" if transition.until_deadline else services.what_first(state, action)
        assert refused.value.message == f"当前状态为“{label}”，不能{transition.label}。{then}"
        nomination.refresh_from_db()
        assert nomination.status == state
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_the_state_aware_permission_follows_the_table(who, gx, extended, action):
    unit = extended
    transition = TRANSITIONS[action]
    actor = (
        who["member"]
        if transition.permission.endswith(("submit", "withdraw"))
        else (who["organiser"])
    )
    bystander = who["organiser"] if actor == who["member"] else who["member"]
    nomination = complete_nomination(who["member"], gx, unit, "volunteer")
    for state in Status:
        nomination.status = state
        allowed = actor.has_perm(f"nominations.{action}_now", nomination)
        assert allowed == (state in transition.sources), (action, state)
        assert not bystander.has_perm(f"nominations.{action}_now", nomination)


def test_the_organiser_is_not_offered_a_units_withdraw_button(client, who, gx, extended):
    unit = extended
    nomination = _in_state(who, gx, unit, Status.SUBMITTED)
    client.force_login(who["organiser"])
    page = client.get(f"/n/{nomination.uid}/").content.decode()
    assert "撤回此推荐" not in page
    client.force_login(who["member"])
    assert "撤回此推荐" in client.get(f"/n/{nomination.uid}/").content.decode()


def test_after_the_deadline_the_units_moves_are_offered_only_for_a_returned_nomination(
    client, who, gx, unit
):
    """What the services refuse after the unit's deadline, the pages no longer offer: the one
    reading of the deadline (``deadlines.in_time``) answers both."""
    member = who["member"]
    submitted = _in_state(who, gx, unit, Status.SUBMITTED)
    returned = _in_state(who, gx, unit, Status.RETURNED)
    draft = _in_state(who, gx, unit, Status.DRAFT)
    assert not member.has_perm("nominations.withdraw_now", submitted)
    assert not member.has_perm("nominations.submit_now", draft)
    assert not member.has_perm("nominations.edit_now", draft)
    assert member.has_perm("nominations.submit_now", returned)
    assert member.has_perm("nominations.edit_now", returned)
    client.force_login(member)
    assert "撤回此推荐" not in client.get(f"/n/{submitted.uid}/").content.decode()
    assert "<fieldset disabled>" in client.get(f"/n/{draft.uid}/").content.decode()
    with pytest.raises(Refused, match="已过报送截止时间，不能撤回"):
        services.withdraw(member, submitted)


# Labels: the trail reads as sentences -----------------------------------------------------------


def test_every_transition_has_a_chinese_label_of_its_own():
    labels = [transition.label for transition in TRANSITIONS.values()]
    assert all(label and all("\u4e00" <= ch <= "\u9fff" for ch in label) for label in labels)
    assert len(set(labels)) == len(labels)
    assert TRANSITIONS["return"].label == "退回修改"
    assert TRANSITIONS["shortlist"].label == "列入拟推荐"


def test_the_review_page_reads_the_audit_trail_as_sentences(client, who, gx, unit, member):
    organiser = who["organiser"]
    organiser.first_name = "陈意明"
    organiser.save()
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    services.return_for_revision(organiser, nomination, reason="请补充服务时长证明")
    client.force_login(organiser)
    page = client.get(reverse("review:nomination", args=[nomination.uid])).content.decode()
    trail = page[page.index('id="trail"') :]
    returned_at = AuditEvent.objects.get(action="nomination.return").at
    when = timezone.localtime(returned_at).strftime("%Y-%m-%d %H:%M")
    assert f"陈意明 于 {when} 退回修改：请补充服务时长证明" in trail
    assert "（已提交 → 退回修改）" in trail
    assert f"{member.username} 于 " in trail and " 提交" in trail and "（草稿 → 已提交）" in trail
    assert "nomination.return" not in trail and "nomination.submit" not in trail
    for action in ("nomination.create", "photo.add"):
        assert action not in trail
    assert "新建推荐" in trail and "上传照片" in trail
