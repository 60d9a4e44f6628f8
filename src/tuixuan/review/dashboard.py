"""The figures on the organiser's dashboard, each from one aggregate query."""

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncDate

from tuixuan.nominations.models import (
    AttachmentKind,
    FlagStatus,
    Nomination,
    Status,
)
from tuixuan.units.models import Participation


@dataclass
class Dashboard:
    # The two tables of counts (review/_count_table.html): a row is (its key, its name, the
    # counts of its columns, their total).
    statuses: list  # the labels of by_category's columns
    by_category: list  # [(category key, name, [count per status], total)]
    by_unit: list  # [(unit code, name, [places used per category], total handed in)]
    silent_units: list  # units that have handed in nothing
    missing_pdf: int
    open_flags: int
    categories: list
    chart: dict  # submissions per day up to the deadline, as SVG bars


def dashboard(campaign) -> Dashboard:
    categories = list(campaign.categories.all())
    counts = {
        (row["category_id"], row["status"]): row["n"]
        for row in Nomination.objects.filter(campaign=campaign)
        .values("category_id", "status")
        .annotate(n=Count("pk"))
    }
    by_category = []
    for category in categories:
        row = [counts.get((category.pk, status), 0) for status in Status]
        by_category.append((category.key, category.name, row, sum(row)))

    used = {}
    for row in (
        Nomination.objects.filter(campaign=campaign, status__in=Status.HOLDING_A_PLACE)
        .values("unit_id", "category_id")
        .annotate(n=Count("pk"))
    ):
        used.setdefault(row["unit_id"], {})[row["category_id"]] = row["n"]
    participations = Participation.objects.filter(campaign=campaign).select_related("unit")
    by_unit, silent = [], []
    for participation in participations.order_by("unit__name"):
        places = used.get(participation.unit_id, {})
        total = sum(places.values())
        unit = participation.unit
        by_unit.append((unit.code, unit.name, [places.get(c.pk, 0) for c in categories], total))
        if not total:
            silent.append(participation.unit)

    handed_in = Nomination.objects.filter(campaign=campaign, status__in=Status.HOLDING_A_PLACE)
    missing_pdf = handed_in.exclude(attachments__kind=AttachmentKind.STAMPED_PDF).count()
    open_flags = handed_in.aggregate(n=Count("flags", filter=Q(flags__status=FlagStatus.OPEN)))["n"]
    chart = submissions_chart(campaign, handed_in)
    statuses = [status.label for status in Status]
    return Dashboard(
        statuses, by_category, by_unit, silent, missing_pdf, open_flags, categories, chart
    )


CHART_WIDTH, CHART_HEIGHT, MAX_DAYS = 600, 160, 60


def submissions_chart(campaign, handed_in) -> dict:
    """Submissions per day (Beijing time), the last ``MAX_DAYS`` days up to the deadline."""
    china = ZoneInfo("Asia/Shanghai")
    per_day = dict(
        handed_in.exclude(submitted_at__isnull=True)
        .annotate(day=TruncDate("submitted_at", tzinfo=china))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    if not per_day:
        return {"bars": [], "total": 0}
    last = max(campaign.deadline.astimezone(china).date(), max(per_day))
    first = max(min(per_day), last - timedelta(days=MAX_DAYS - 1))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    peak = max(per_day.values())
    width = CHART_WIDTH / len(days)
    bars = []
    for index, day in enumerate(days):
        count = per_day.get(day, 0)
        height = round(count / peak * (CHART_HEIGHT - 20), 1)
        bars.append(
            {
                "x": round(index * width, 1),
                "y": round(CHART_HEIGHT - height, 1),
                "width": round(max(width - 2, 1), 1),
                "height": height,
                "count": count,
                "day": day,
            }
        )
    return {
        "bars": bars,
        "total": sum(per_day.values()),
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "first": first,
        "last": last,
    }
