"""The state machine is one table: every transition moves only from its states, refuses with its
word, and the pages ask state-aware permissions derived from the same table."""

from datetime import date

import pytest

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


def _in_state(who, gx, unit, state):
    nomination = complete_nomination(who["member"], gx, unit, "volunteer")
    Nomination.objects.filter(pk=nomination.pk).update(status=state)
    nomination.refresh_from_db()
    return nomination


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_a_transition_from_any_other_state_is_refused_with_its_word(who, gx, unit, action):
    transition = TRANSITIONS[action]
    outside = sorted(set(Status) - set(transition.sources) - {Status.WITHDRAWN})
    nomination = complete_nomination(who["member"], gx, unit, "volunteer")
    for state in outside[:3]:
        Nomination.objects.filter(pk=nomination.pk).update(status=state)
        nomination.refresh_from_db()
        events = AuditEvent.objects.count()
        with pytest.raises(Refused) as refused:
            CALLS[action](who, nomination)
        label = Status(state).label
        assert refused.value.message == f"当前状态为“{label}”，不能{transition.word}。"
        nomination.refresh_from_db()
        assert nomination.status == state
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_the_state_aware_permission_follows_the_table(who, gx, unit, action):
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


def test_the_organiser_is_not_offered_a_units_withdraw_button(client, who, gx, unit):
    nomination = _in_state(who, gx, unit, Status.SUBMITTED)
    client.force_login(who["organiser"])
    page = client.get(f"/n/{nomination.uid}/").content.decode()
    assert "撤回此推荐" not in page
    client.force_login(who["member"])
    assert "撤回此推荐" in client.get(f"/n/{nomination.uid}/").content.decode()
