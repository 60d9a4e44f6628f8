"""A nomination is never handed in with values that break the rules, however requests race.

Twenty units each hand in an organisation through gunicorn (3 workers) while, at the same
moment, another request changes its number of registered volunteers to 5 (O2 asks for 20).
Whichever commits first, the second must see it: either the edit is refused because the
nomination is handed in, or the hand-in is refused because O2 fails. Never both accepted.
"""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import secret_for
from tests.conftest import complete_nomination, make_member, make_unit
from tests.servers import gunicorn
from tuixuan.nominations.models import Nomination, Status
from tuixuan.nominations.reports import evaluate
from tuixuan.units.models import Participation, Role, RoleKind

PAIRS = 20


@pytest.fixture
def drafts(gx):
    units = [make_unit(gx, f"unit-{n:02d}", f"推荐单位{n:02d}") for n in range(PAIRS)]
    clerk = make_member(units[0], "clerk")
    for unit in units[1:]:
        Role.objects.create(user=clerk, kind=RoleKind.UNIT_MEMBER, unit=unit)
    Participation.objects.update(extension_until=timezone.now() + timedelta(days=30))
    made = [complete_nomination(clerk, gx, unit, "organisation") for unit in units]
    return clerk, made


def _race(server, token, nomination, outcomes):
    start = threading.Barrier(2)
    path = f"/api/v1/nominations/{nomination.uid}"

    def submit():
        start.wait()
        outcomes.append(("submit", server.json("POST", f"{path}/submit", token=token)[0]))

    def edit():
        start.wait()
        change = {"values": {"registered_volunteers": 5}}
        outcomes.append(("edit", server.json("PATCH", path, change, token=token)[0]))

    threads = [threading.Thread(target=submit), threading.Thread(target=edit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


@pytest.mark.django_db(transaction=True)
def test_a_hand_in_racing_an_edit_never_leaves_a_handed_in_nomination_failing_its_rules(
    drafts, tmp_path
):
    clerk, nominations = drafts
    token = secret_for(clerk)
    outcomes = []
    with gunicorn(tmp_path, workers=3) as server:
        for nomination in nominations:
            _race(server, token, nomination, outcomes)

    assert len(outcomes) == 2 * PAIRS
    assert all(status in {200, 422} for _, status in outcomes), outcomes
    handed_in = 0
    for nomination in Nomination.objects.filter(pk__in=[n.pk for n in nominations]):
        if nomination.status == Status.SUBMITTED:
            handed_in += 1
            report = evaluate(nomination, now=nomination.submitted_at)
            assert report.passed, [f.message for f in report.failures]
            assert nomination.values["registered_volunteers"] == 120
        else:
            assert nomination.status == Status.DRAFT
            assert nomination.values["registered_volunteers"] == 5
    # Every pair had exactly one winner: the hand-in or the edit.
    assert sorted(status for _, status in outcomes).count(200) == PAIRS
