"""The figures on the organiser's dashboard, each from one aggregate query; its single numbers
in the statement of the stage bar's (review/counts.py)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.safestring import SafeString

from tuixuan.common.html import rows_html
from tuixuan.nominations.models import Nomination, Status
from tuixuan.units.models import Participation

from .counts import by_category_and_status, unit_counts
from .counts import figures as read_figures


@dataclass
class Dashboard:
    # The two tables of counts (review/_count_table.html): a row is (its key, its name, the
    # counts of its columns, their total).
    statuses: list  # the labels of by_category's columns
    by_category: list  # [(category key, name, [count per status], total)]
    by_unit: list  # [(unit code, name, [places used per category], total handed in)]
    silent_units: list  # the names of the units that have handed in nothing
    missing_pdf: int
    open_flags: int
    categories: list
    chart: dict  # submissions per day up to the deadline, as SVG bars

    @property
    def by_category_html(self):
        return count_rows_html("category", self.by_category)

    @property
    def by_unit_html(self):
        return count_rows_html("unit", self.by_unit)


# One row of a table of counts (review/_count_table.html), as its template's loop wrote it
# (whitespace included), the counts as plain numbers: through the template, a table of 40 units
# was hundreds of variables resolved and escaped one by one, a good part of the dashboard's time
# (issue 18).
COUNT_ROW = '\n    <tr data-{attr}="{key}"><td>{name}</td>{cells}<td>{total}</td></tr>\n  '
COUNT_CELL = "<td>{n}</td>"


def count_rows_html(attr, rows) -> SafeString:
    """``rows`` ((key, name, counts, total)) as the rows of a table of counts."""
    return rows_html(
        COUNT_ROW,
        (
            {
                "key": key,
                "name": name,
                "cells": rows_html(COUNT_CELL, ({"n": n} for n in counts)),
                "total": total,
            }
            for key, name, counts, total in rows
        ),
        attr=attr,
    )


def dashboard(campaign, *, per_unit=None, figures=None) -> Dashboard:
    """The dashboard's figures; ``per_unit``: the campaign's ``unit_counts``, ``figures``: its
    ``counts.figures`` with ``dashboard``, if already read."""
    categories = list(campaign.categories.all())
    per_unit = unit_counts(campaign) if per_unit is None else per_unit
    if figures is None:
        figures = read_figures(campaign, now=timezone.now(), dashboard=True)
    counts = by_category_and_status(per_unit)
    by_category = []
    for category in categories:
        row = [counts.get((category.pk, status), 0) for status in Status]
        by_category.append((category.key, category.name, row, sum(row)))

    # The places each unit uses: its nominations handed in, by category.
    used = {}
    for (unit_id, category_id, status), n in per_unit.items():
        if status in Status.HOLDING_A_PLACE:
            places = used.setdefault(unit_id, {})
            places[category_id] = places.get(category_id, 0) + n
    # The units taking part, as plain values: no participation and unit built for each.
    units = Participation.objects.filter(campaign=campaign).order_by("unit__name")
    by_unit, silent = [], []
    for unit_id, code, name in units.values_list("unit_id", "unit__code", "unit__name"):
        places = used.get(unit_id, {})
        total = sum(places.values())
        by_unit.append((code, name, [places.get(c.pk, 0) for c in categories], total))
        if not total:
            silent.append(name)

    handed_in = Nomination.objects.filter(campaign=campaign, status__in=Status.HOLDING_A_PLACE)
    chart = submissions_chart(campaign, handed_in)
    statuses = [status.label for status in Status]
    return Dashboard(
        statuses,
        by_category,
        by_unit,
        silent,
        figures["missing_pdf"],
        figures["open_flags"],
        categories,
        chart,
    )


# The chart's drawing box, in pixels (it is drawn at its size and scrolls on a phone): room for
# the counts above the bars and the dates below them.
CHART_WIDTH, CHART_HEIGHT, MAX_DAYS = 720, 180, 60
TOP, BOTTOM = 18, 22  # the counts' line above the tallest bar, the dates' line below the bars
WIDEST_BAR, LABEL_SPACE, COUNT_SPACE = 48, 56, 18  # a date label needs 56 px, a count 18 px
# A few days make a narrow chart (60 px a day, at least 120), so on a phone its bars are in
# sight without scrolling; from 12 days on it is CHART_WIDTH wide.
DAY_SLOT, NARROWEST = 60, 120


CHINA = ZoneInfo("Asia/Shanghai")


class BeijingDate(TruncDate):
    """The Beijing date of a moment, grouped in the database.

    On SQLite ``TruncDate`` with a time zone calls a Python function for every row (most of
    the dashboard's time at 1,000 submissions, issue 18). China has kept UTC+8 all year since
    1991, and SQLite keeps a moment as its UTC text, so its own ``date(moment, '+8 hours')``
    gives the same day. Other databases convert the zone natively already."""

    def __init__(self, expression, **extra):
        super().__init__(expression, tzinfo=CHINA, **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"date({sql}, '+8 hours')", params


def submissions_chart(campaign, handed_in, *, today=None) -> dict:
    """Submissions per day (Beijing time), one bar a day, from the first submission to the
    deadline (or to today, while the deadline is ahead), at most the last ``MAX_DAYS`` days.

    Each bar carries its count above it and its date below it, as far as they fit (a date on
    every few days when there are many); all of them are in ``days``, for the table beside it.
    A single day is a single bar of the usual width, not a block across the chart."""
    per_day = dict(
        handed_in.exclude(submitted_at__isnull=True)
        .annotate(day=BeijingDate("submitted_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
    )
    if not per_day:
        return {"bars": [], "total": 0}
    today = today or datetime.now(CHINA).date()
    last = max(min(campaign.deadline.astimezone(CHINA).date(), today), max(per_day))
    first = max(min(per_day), last - timedelta(days=MAX_DAYS - 1))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    peak = max(per_day.values())
    chart_width = min(CHART_WIDTH, max(len(days) * DAY_SLOT, NARROWEST))
    slot = chart_width / len(days)
    width = min(max(slot * 0.7, 1), WIDEST_BAR)
    every = max(1, ceil(LABEL_SPACE / slot))  # a date label on every ``every``-th day
    base = CHART_HEIGHT - BOTTOM
    bars = []
    for index, day in enumerate(days):
        count = per_day.get(day, 0)
        height = round(count / peak * (base - TOP), 1)
        middle = round(index * slot + slot / 2, 1)
        bars.append(
            {
                "x": round(middle - width / 2, 1),
                "y": round(base - height, 1),
                "width": round(width, 1),
                "height": height,
                "middle": middle,
                "count_y": round(base - height - 4, 1),
                "count": count,
                "day": day,
                "show_count": bool(count) and slot >= COUNT_SPACE,
                "show_day": index % every == 0 or (index == len(days) - 1 and every == 1),
            }
        )
    return {
        "bars": bars,
        "total": sum(per_day.values()),
        "width": chart_width,
        "height": CHART_HEIGHT,
        "base": base,
        "day_y": CHART_HEIGHT - 6,
        "first": first,
        "last": last,
    }
