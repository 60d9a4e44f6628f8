"""Whether a unit may still change a nomination: the one answer to "is it open now?".

The services refuse with it, ``rules.py`` hides what it would refuse, and the unit's page counts
down to the same instant (``portal.time_left``); the rule engine judges a hand-in by the same
comparison (``campaigns.models.still_open``).
"""

from tuixuan.campaigns.models import still_open
from tuixuan.units.models import deadline_for

from .models import Status


def in_time(nomination, now) -> bool:
    """Before the unit's deadline (its extension included), or returned by the organiser, who by
    returning it allows the unit to change and hand it in again after the deadline."""
    if nomination.status == Status.RETURNED:
        return True
    return still_open(deadline_for(nomination.campaign, nomination.unit_id), now)
