"""A unit's places in a category (the quota criterion): which of its nominations hold one.

The one count of places, read by the rule engine's facts (``reports.NominationFacts``) and the
forwarding-package importer (``documents.importing``); the unit's page counts by the same status
group from the nominations it lists anyway (``portal.quota_use``). Whether one more fits is
``Category.has_room``. A nomination holds a place from hand-in until it
is withdrawn (``Status.HOLDING_A_PLACE``).
"""

from collections import Counter

from tuixuan.common.prepared import Param, Prepared

from .models import Nomination, Status


def place_holders(campaign, unit_ids, category_ids=None) -> dict:
    """(unit id, category id) → the ids of that unit's nominations holding a place there."""
    holding = Nomination.objects.filter(
        campaign=campaign, unit_id__in=unit_ids, status__in=Status.HOLDING_A_PLACE
    )
    if category_ids is not None:
        holding = holding.filter(category_id__in=category_ids)
    holders = {}
    for pk, unit_id, category_id in holding.values_list("pk", "unit_id", "category_id"):
        holders.setdefault((unit_id, category_id), set()).add(pk)
    return holders


def place_holders_in(campaign, unit_id, category_id) -> dict:
    """``place_holders`` of one unit in one category (a nomination's own page): the same rows,
    by a statement prepared once per process (common/prepared.py), not an ORM query built each
    time (issue 18)."""
    pks = {pk for (pk,) in _holding_in.rows(campaign.pk, unit_id, category_id)}
    return {(unit_id, category_id): pks} if pks else {}


_holding_in = Prepared(
    lambda campaign_id, unit_id, category_id: (
        Nomination.objects.filter(
            campaign_id=campaign_id,
            unit_id=unit_id,
            category_id=category_id,
            status__in=sorted(Status.HOLDING_A_PLACE),
        )
        .order_by()
        .values_list("pk")
    ),
    Param(-7_400_001),
    Param(-7_400_002),
    Param(-7_400_003),
)


def places_held(campaign, unit) -> Counter:
    """Category id → how many places ``unit`` holds there."""
    return Counter(
        {
            category_id: len(pks)
            for (_unit, category_id), pks in place_holders(campaign, [unit.pk]).items()
        }
    )
