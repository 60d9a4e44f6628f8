"""G1 under a race: many submissions of one unit and category at the same moment.

Each thread has its own database connection, so on PostgreSQL these are truly concurrent
transactions; on SQLite they queue on the database's write lock.
"""

import threading

import pytest
from django.db import connection

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.common.exceptions import RulesNotMet
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status

SUBMISSIONS = 20


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_submissions_for_one_unit_and_category_accept_exactly_three(
    gx, unit, member
):
    drafts = [
        complete_nomination(member, gx, unit, "volunteer", name=f"候选人{n:02d}")
        for n in range(SUBMISSIONS)
    ]
    start = threading.Barrier(SUBMISSIONS)
    outcomes = []
    lock = threading.Lock()

    def submit(nomination):
        try:
            start.wait()
            try:
                services.submit(member, nomination, now=BEFORE_DEADLINE)
                outcome = "accepted"
            except RulesNotMet as refused:
                outcome = refused.rule_id
            except Exception as error:  # any other error is the finding
                outcome = f"error: {type(error).__name__}: {error}"
            with lock:
                outcomes.append(outcome)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(draft,)) for draft in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(outcomes) == ["G1"] * (SUBMISSIONS - 3) + ["accepted"] * 3
    submitted = Nomination.objects.filter(unit=unit, status=Status.SUBMITTED)
    assert submitted.count() == 3
