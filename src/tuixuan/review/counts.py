"""How many of a campaign's nominations are in each category and status, and the campaign's other
figures the office pages show.

``status_counts``: one grouped query, read by the stage bar (``stages.progress``), the queue's
count and the dashboard's table (``dashboard.dashboard``). The dashboard, which also counts each
unit's places, reads ``unit_counts`` instead (the same query grouped by unit too: one round trip
for both) and sums it into ``status_counts``' shape (``by_category_and_status``).

``figures``: the stage bar's and the dashboard's single numbers (units with an extension, open
objections, 入选 not yet shown, …) in one statement of scalar subqueries, one per figure. Each
was a query of its own, and each query costs about half a millisecond of Python however little
the database does, on every office page (issue 18); the statement itself is built with the ORM
once per process (``common.prepared``), its subqueries correlated with the campaign's row so that
the campaign is a single placeholder. A scalar subquery of an aggregate without GROUP BY always
gives one value (0 for COUNT, NULL for MAX), on SQLite as on PostgreSQL.
"""

from datetime import UTC, date, datetime

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
)
from django.utils import timezone

from tuixuan.campaigns.models import Campaign
from tuixuan.common.prepared import Param, Prepared, a_time
from tuixuan.nominations.models import (
    Attachment,
    AttachmentKind,
    Flag,
    FlagStatus,
    Nomination,
    Status,
)
from tuixuan.units.models import Participation

from .models import Announcement, Objection
from .services import READY_FOR_PARENT

# Both grouped counts built with the ORM once per process (``Prepared``), like the figures.
_BY_CATEGORY = Prepared(
    lambda campaign: (
        Nomination.objects.filter(campaign_id=campaign)
        .values_list("category_id", "status")
        .annotate(n=Count("pk"))
    ),
    Param(-730_001),
)
_BY_UNIT = Prepared(
    lambda campaign: (
        Nomination.objects.filter(campaign_id=campaign)
        .values_list("unit_id", "category_id", "status")
        .annotate(n=Count("pk"))
    ),
    Param(-730_001),
)


def status_counts(campaign) -> dict:
    """{(category id, status): how many} for the statuses a category has nominations in."""
    return {(category_id, status): n for category_id, status, n in _BY_CATEGORY.rows(campaign.pk)}


def unit_counts(campaign) -> dict:
    """{(unit id, category id, status): how many}: ``status_counts`` split by unit (at most
    units × categories × statuses rows, whatever the number of nominations)."""
    return {
        (unit_id, category_id, status): n
        for unit_id, category_id, status, n in _BY_UNIT.rows(campaign.pk)
    }


def by_category_and_status(counts_by_unit) -> dict:
    """``unit_counts`` summed over the units: what ``status_counts`` reads."""
    counts = {}
    for (_unit_id, category_id, status), n in counts_by_unit.items():
        counts[category_id, status] = counts.get((category_id, status), 0) + n
    return counts


def _scalar(queryset, function, column, output_field):
    """``function(column)`` over ``queryset``'s rows, as one value inside another statement."""
    value = Func(F(column), function=function, output_field=output_field)
    return Subquery(queryset.order_by().annotate(value=value).values("value")[:1])


def _count(queryset):
    return _scalar(queryset, "COUNT", "pk", IntegerField())


def _stage_figures(campaign, *, now, later_now, today) -> dict:
    """The stage bar's single numbers, as subqueries of the campaign ``campaign`` (its row in
    the statement: ``OuterRef``); ``now`` twice, each of its placeholders once."""
    extended = Participation.objects.filter(campaign=campaign, extension_until__gt=now)
    return {
        "extended_units": _count(extended),
        "extended_until": _scalar(
            Participation.objects.filter(campaign=campaign, extension_until__gt=later_now),
            "MAX",
            "extension_until",
            DateTimeField(),
        ),
        # The last day of a 公示 still open (its nominations still 公示中).
        "open_until": _scalar(
            Announcement.objects.filter(
                campaign=campaign, nominations__status=Status.ANNOUNCED, ends_on__gte=today
            ),
            "MAX",
            "ends_on",
            DateField(),
        ),
        "unanswered": _count(
            Objection.objects.filter(announcement__campaign=campaign, answered_at__isnull=True)
        ),
        "unpublished": _count(
            Nomination.objects.filter(
                campaign=campaign, status=Status.SELECTED, publication__isnull=True
            )
        ),
    }


def _dashboard_figures(campaign, *, chain) -> dict:
    """The dashboard's single numbers, as subqueries of the campaign ``campaign``: of the
    nominations handed in, those with their stamped PDF, and their flags still open; how
    many 公示 there are (``announced``: their links are read only if there are any). With
    ``chain`` (a parent campaign), the 推报至上级活动 card's: how many are ready for it
    (``ready``), how many have arrived there (``arrived``: their table is read only if there
    are any)."""
    ready_and_arrived = {}
    if chain:
        ready_and_arrived = {
            "ready": _count(Nomination.objects.filter(READY_FOR_PARENT, campaign=campaign)),
            # Counted from above: the few nominations that came from somewhere (PostgreSQL
            # then reads them by their unique index instead of every nomination here).
            "arrived": _count(
                Nomination.objects.filter(
                    forwarded_from__isnull=False, forwarded_from__campaign=campaign
                )
            ),
        }
    return {
        **ready_and_arrived,
        "announced": _count(Announcement.objects.filter(campaign=campaign)),
        # Those with their stamped PDF (the dashboard subtracts them from the nominations
        # handed in, which it has counted by unit), counted from the PDFs, at most one of each
        # nomination: PostgreSQL looked for a PDF of each nomination handed in, one by one,
        # while few had any.
        "with_pdf": _count(
            Attachment.objects.filter(
                kind=AttachmentKind.STAMPED_PDF,
                nomination__campaign=campaign,
                nomination__status__in=Status.HOLDING_A_PLACE,
            )
        ),
        "open_flags": _count(
            Flag.objects.filter(
                nomination__campaign=campaign,
                nomination__status__in=Status.HOLDING_A_PLACE,
                status=FlagStatus.OPEN,
            )
        ),
    }


# Examples for the placeholders of the figures' statement: values nothing else in it has.
_CAMPAIGN = Param(-730_001)
_NOW = a_time(datetime(1901, 1, 1, 1, 1, 1, 1, tzinfo=UTC))
_LATER_NOW = a_time(datetime(1901, 1, 1, 1, 1, 1, 2, tzinfo=UTC))
_TODAY = Param(date(1901, 1, 2), lambda connection, day: connection.ops.adapt_datefield_value(day))


STAGE_FIGURES = ("extended_units", "extended_until", "open_until", "unanswered", "unpublished")
DASHBOARD_FIGURES = ("announced", "with_pdf", "open_flags")
CHAIN_FIGURES = ("ready", "arrived")


def _figures_statement(*, dashboard, chain):
    """The statement of the stage bar's figures (and the dashboard's, and the chain's), built
    with the ORM once per process (``Prepared``): each figure's subquery cost about half a
    millisecond of Python to build and compile on every office page (issue 18)."""
    names = (
        STAGE_FIGURES + (DASHBOARD_FIGURES if dashboard else ()) + (CHAIN_FIGURES if chain else ())
    )

    def build(campaign, now, later_now, today):
        outer = OuterRef("pk")
        subqueries = _stage_figures(outer, now=now, later_now=later_now, today=today)
        if dashboard:
            subqueries |= _dashboard_figures(outer, chain=chain)
        return Campaign.objects.filter(pk=campaign).annotate(**subqueries).values_list(*names)

    return names, Prepared(build, _CAMPAIGN, _NOW, _LATER_NOW, _TODAY)


_STATEMENTS = {
    (dashboard, chain): _figures_statement(dashboard=dashboard, chain=chain)
    for dashboard, chain in ((False, False), (True, False), (True, True))
}


def figures(campaign, *, now, dashboard=False) -> dict:
    """{name: value}: the stage bar's single numbers at ``now``, and with ``dashboard`` the
    dashboard's (and the 推报至上级活动 card's, if the campaign has a parent), in one
    statement."""
    key = (dashboard, dashboard and campaign.parent_id is not None)
    names, statement = _STATEMENTS[key]
    [row] = statement.rows(campaign.pk, now, now, timezone.localdate(now))
    return dict(zip(names, row, strict=True))
