"""The figures on the organiser's dashboard, each from one aggregate query."""

from dataclasses import dataclass

from django.db.models import Count, Q

from tuixuan.nominations.models import (
    QUOTA_STATES,
    AttachmentKind,
    FlagStatus,
    Nomination,
    Status,
)
from tuixuan.units.models import Participation

HANDED_IN = QUOTA_STATES


@dataclass
class Dashboard:
    statuses: list  # (value, label) of the columns
    by_category: list  # [(category, [count per status], total)]
    by_unit: list  # [(unit, {category_id: places used}, total handed in)]
    silent_units: list  # units that have handed in nothing
    missing_pdf: int
    open_flags: int
    categories: list


def dashboard(campaign) -> Dashboard:
    categories = list(campaign.categories.all())
    statuses = [(s.value, s.label) for s in Status]
    counts = {
        (row["category_id"], row["status"]): row["n"]
        for row in Nomination.objects.filter(campaign=campaign)
        .values("category_id", "status")
        .annotate(n=Count("pk"))
    }
    by_category = []
    for category in categories:
        row = [counts.get((category.pk, value), 0) for value, _label in statuses]
        by_category.append((category, row, sum(row)))

    used = {}
    for row in (
        Nomination.objects.filter(campaign=campaign, status__in=HANDED_IN)
        .values("unit_id", "category_id")
        .annotate(n=Count("pk"))
    ):
        used.setdefault(row["unit_id"], {})[row["category_id"]] = row["n"]
    participations = Participation.objects.filter(campaign=campaign).select_related("unit")
    by_unit, silent = [], []
    for participation in participations.order_by("unit__name"):
        places = used.get(participation.unit_id, {})
        total = sum(places.values())
        by_unit.append((participation.unit, [places.get(c.pk, 0) for c in categories], total))
        if not total:
            silent.append(participation.unit)

    handed_in = Nomination.objects.filter(campaign=campaign, status__in=HANDED_IN)
    missing_pdf = handed_in.exclude(attachments__kind=AttachmentKind.STAMPED_PDF).count()
    open_flags = handed_in.aggregate(n=Count("flags", filter=Q(flags__status=FlagStatus.OPEN)))["n"]
    return Dashboard(statuses, by_category, by_unit, silent, missing_pdf, open_flags, categories)
