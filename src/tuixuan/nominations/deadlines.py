"""Whether a unit may still change a nomination: the one answer to "is it open now?".

The services refuse with it, ``rules.py`` hides what it would refuse, and the unit's page counts
down to the same instant (``portal.time_left``); the rule engine judges a hand-in by the same
comparison (``campaigns.models.still_open``).

The unit's deadline is read once per request (common/memo.py) by a prepared statement
(common/prepared.py) of its participation's extension alone: the campaign is the nomination's,
read already. A request that read the participation anyway (the unit's pages, the lock a change
takes) hands it to ``remember``, and nothing is asked again.
"""

from tuixuan.campaigns.models import still_open
from tuixuan.common.memo import remembered
from tuixuan.common.prepared import Param, Prepared
from tuixuan.units.models import Participation, closing_time

from .models import Status


def in_time(nomination, now) -> bool:
    """Before the unit's deadline (its extension included), or returned by the organiser, who by
    returning it allows the unit to change and hand it in again after the deadline."""
    if nomination.status == Status.RETURNED:
        return True
    return still_open(closes(nomination.campaign, nomination.unit_id), now)


def closes(campaign, unit_id):
    """When the unit's submissions to ``campaign`` close (``units.models.closing_time``)."""
    found = participating(campaign, unit_id)
    return closing_time(campaign.deadline, found[0] if found else None)


def participating(campaign, unit_id):
    """``(extension_until,)`` of the unit's participation in ``campaign``, or None when it takes
    no part: once per request."""
    return remembered(
        ("participation", campaign.pk, unit_id), lambda: _extension.first(campaign.pk, unit_id)
    )


def remember(participation):
    """What this request read of a ``participation``, so that ``closes`` and ``participating``
    do not ask for it. An answer already given in this request stands, as it did when each
    asked the database."""
    found = (participation.extension_until,)
    remembered(("participation", participation.campaign_id, participation.unit_id), lambda: found)


_extension = Prepared(
    lambda campaign_id, unit_id: Participation.objects.filter(
        campaign_id=campaign_id, unit_id=unit_id
    ).values_list("extension_until"),
    Param(-7_200_001),
    Param(-7_200_002),
)
