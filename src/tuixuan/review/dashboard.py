"""The figures on the organiser's dashboard, each from one aggregate query; its single numbers
in the statement of the stage bar's (review/counts.py)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from html import escape
from math import ceil
from zoneinfo import ZoneInfo

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import dateformat
from django.utils.safestring import SafeString
from django.utils.translation import gettext

from tuixuan.common.html import rows_html
from tuixuan.common.phrases import phrases
from tuixuan.common.prepared import Param, Prepared
from tuixuan.nominations.models import Nomination, Status
from tuixuan.units.models import Participation


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

    @property
    def status_heads(self):
        return rows_html(HEAD, ({"name": name} for name in self.statuses))

    @property
    def category_heads(self):
        return rows_html(HEAD, ({"name": category.name} for category in self.categories))


# One row of a table of counts (review/_count_table.html), as its template's loop wrote it
# (whitespace included), the counts as plain numbers: through the template, a table of 40 units
# was hundreds of variables resolved and escaped one by one, a good part of the dashboard's time
# (issue 18).
COUNT_ROW = '\n    <tr data-{attr}="{key}"><td>{name}</td>{cells}<td>{total}</td></tr>\n  '
HEAD = "<th>{name}</th>"  # a column's heading: a status, or a category


def count_rows_html(attr, rows) -> SafeString:
    """``rows`` ((key, name, counts, total)) as the rows of a table of counts. The counts are
    whole numbers (``:d`` refuses anything else), written as they are: nothing to escape."""
    return rows_html(
        COUNT_ROW,
        (
            {
                "key": key,
                "name": name,
                "cells": SafeString("".join([f"<td>{n:d}</td>" for n in counts])),
                "total": total,
            }
            for key, name, counts, total in rows
        ),
        attr=attr,
    )


def dashboard(campaign, *, categories, per_unit, counts, figures) -> Dashboard:
    """The dashboard's figures from what the page has read already: the campaign's
    ``categories`` in their order, its ``unit_counts``, those summed over the units
    (``by_category_and_status``) and its ``counts.figures`` with ``dashboard``."""
    statuses = list(Status)
    category_ids = [category.pk for category in categories]
    by_category = []
    for category, category_id in zip(categories, category_ids, strict=True):
        row = [counts.get((category_id, status), 0) for status in statuses]
        by_category.append((category.key, category.name, row, sum(row)))

    # The places each unit uses: its nominations handed in, by category; and all of them.
    used, handed_in = {}, 0
    for (unit_id, category_id, status), n in per_unit.items():
        if status in Status.HOLDING_A_PLACE:
            places = used.setdefault(unit_id, {})
            places[category_id] = places.get(category_id, 0) + n
            handed_in += n
    by_unit, silent = [], []
    for unit_id, code, name in _UNITS.rows(campaign.pk):
        places = used.get(unit_id, {})
        total = sum(places.values())
        by_unit.append((code, name, [places.get(pk, 0) for pk in category_ids], total))
        if not total:
            silent.append(name)

    return Dashboard(
        [status.label for status in statuses],
        by_category,
        by_unit,
        silent,
        handed_in - figures["with_pdf"],  # the nominations handed in without their PDF
        figures["open_flags"],
        categories,
        submissions_chart(campaign),
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

# One day of the chart (its bar with its tooltip, its count above it and its date below it, as
# far as they fit) and one row of the table beside it, as the template's loop wrote them: 60
# days through the template were hundreds of variables and tags, most of the dashboard's time
# once submissions span weeks (issue 18). Coordinates and counts are plain numbers (the
# template's ``localize off``); a date as ``phrases.day`` writes it, escaped.
BAR = '<g data-day="{iso}"><rect {box}><title>{title}</title></rect>{count_text}{day_text}</g>'
BOX = 'x="{x}" y="{y}" width="{width}" height="{height}"'
COUNT_TEXT = '<text class="count" x="{middle}" y="{y}" text-anchor="middle">{count}</text>'
DAY_TEXT = '<text class="day" x="{middle}" y="{y}" text-anchor="middle">{day}</text>'
DAY_ROW = "<tr><td>{day}</td><td>{count}</td></tr>"


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


# The statements of the dashboard's tables, built with the ORM once per process (``Prepared``):
# the units taking part, as plain values in their names' order (no participation and unit
# built for each), and the submissions handed in per day, grouped in the database.
_UNITS = Prepared(
    lambda campaign: (
        Participation.objects.filter(campaign_id=campaign)
        .order_by("unit__name")
        .values_list("unit_id", "unit__code", "unit__name")
    ),
    Param(-730_001),
)
_PER_DAY = Prepared(
    lambda campaign: (
        Nomination.objects.filter(
            campaign_id=campaign,
            status__in=Status.HOLDING_A_PLACE,
            submitted_at__isnull=False,
        )
        .annotate(day=BeijingDate("submitted_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
    ),
    Param(-730_001),
)


def submissions_chart(campaign, *, today=None) -> dict:
    """Submissions per day (Beijing time), one bar a day, from the first submission to the
    deadline (or to today, while the deadline is ahead), at most the last ``MAX_DAYS`` days.

    Each bar carries its count above it and its date below it, as far as they fit (a date on
    every few days when there are many); every day with submissions is a row of the table
    beside it. Both are written here (``bars_html``, ``table_html``), in the language of the
    request. A single day is a single bar of the usual width, not a block across the chart."""
    per_day = dict(_PER_DAY.rows(campaign.pk))
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
    day_text = partial(dateformat.format, format_string=str(phrases.day))
    title = gettext("%(day)s：%(submitted)s个")  # each bar's tooltip
    bars, rows = [], []
    for index, day in enumerate(days):
        count = per_day.get(day, 0)
        height = round(count / peak * (base - TOP), 1)
        middle = round(index * slot + slot / 2, 1)
        text = day_text(day)
        written = escape(text)  # inside the tooltip and the label, written here
        bars.append(
            {
                # Digits and hyphens, numbers: nothing to escape.
                "iso": SafeString(day.isoformat()),
                "box": SafeString(
                    BOX.format(
                        x=round(middle - width / 2, 1),
                        y=round(base - height, 1),
                        width=round(width, 1),
                        height=height,
                    )
                ),
                "title": SafeString(title % {"day": written, "submitted": count}),
                "count_text": SafeString(
                    COUNT_TEXT.format(middle=middle, y=round(base - height - 4, 1), count=count)
                    if count and slot >= COUNT_SPACE
                    else ""
                ),
                "day_text": SafeString(
                    DAY_TEXT.format(middle=middle, y=CHART_HEIGHT - 6, day=written)
                    if index % every == 0 or (index == len(days) - 1 and every == 1)
                    else ""
                ),
            }
        )
        if count:
            rows.append({"day": SafeString(written), "count": count})
    return {
        "bars": bars,
        "bars_html": rows_html(BAR, bars),
        "table_html": rows_html(DAY_ROW, rows),
        "total": sum(per_day.values()),
        "width": chart_width,
        "height": CHART_HEIGHT,
        "base": base,
        "first": first,
        "last": last,
    }
