"""What the unit's pages read: places used per category, time left, the unit's nominations.

Kept apart from the views so that the API can serve the same figures.
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from django.db.models import Exists, Func, OuterRef, Q, Subquery
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from tuixuan.campaigns.configuration import configuration_of
from tuixuan.campaigns.models import Campaign, still_open
from tuixuan.common.html import link_for
from tuixuan.common.models import AuditEvent
from tuixuan.common.prepared import Param, Prepared
from tuixuan.units.models import Participation, Role, RoleKind

from . import deadlines
from .models import Attachment, AttachmentKind, Nomination, Photo, Status


@dataclass
class CategoryUse:
    category: object
    used: int
    quota: int

    @property
    def full(self) -> bool:
        return not self.category.has_room(self.used)


def participations_of(user):
    """The (campaign, unit) pairs the user may nominate in, newest campaign first."""
    units = Role.objects.filter(user=user, kind=RoleKind.UNIT_MEMBER).values("unit_id")
    return (
        Participation.objects.filter(unit_id__in=units)
        .select_related("campaign", "unit")
        .order_by("-campaign__year", "campaign__key", "unit__name")
    )


def participation_of(user, campaign_key, unit_code):
    """The user's participation in campaign ``campaign_key`` as unit ``unit_code`` (one of
    ``participations_of``), or None: one row asked for by its keys, not all of them read and
    searched, and without the campaign file's text, which the unit's pages never show (issue 18).

    A prepared statement (common/prepared.py): building this query with the ORM was nearly half
    of the blank form's time. The unit's deadline comes with it, so the request asks it no more
    (``deadlines.remember``)."""
    found = _participation.first(user.pk, campaign_key, unit_code)
    if found is not None:
        deadlines.remember(found)
    return found


def participation_or_404(user, campaign_key, unit_code):
    """``participation_of``, or 404 when the user does not act for that unit in that campaign
    (the unit's pages, its Word and Excel imports): nothing says whether either exists."""
    found = participation_of(user, campaign_key, unit_code)
    if found is None:
        raise Http404(_("没有找到该活动或单位。"))
    return found


def _written_in(kind):
    """A role's ``kind`` written into a prepared statement's SQL rather than bound to it: the
    roles' table has partial indexes on the kind, and SQLite prepares a statement again on each
    execution when a value bound to it is compared with such an index's condition (a tenth of a
    millisecond for the unit's participation, on every unit page)."""
    return RawSQL(f"'{RoleKind(kind).value}'", ())


def _units_of(user_id):
    """The units ``user_id`` acts for (their roles as a unit's clerk), as a subquery."""
    return Role.objects.filter(user_id=user_id, kind=_written_in(RoleKind.UNIT_MEMBER)).values(
        "unit_id"
    )


_participation = Prepared(
    lambda user_id, campaign_key, unit_code: (
        Participation.objects.filter(
            unit_id__in=_units_of(user_id),
            campaign__key=campaign_key,
            unit__code=unit_code,
        )
        .select_related("campaign", "unit")
        .defer("campaign__source")
        .order_by()  # (campaign, unit) is unique: one row at most
    ),
    Param(-7_100_001),
    Param("(the campaign key)"),
    Param("(the unit code)"),
)


def campaigns_organised_by(user):
    return Campaign.objects.filter(roles__user=user, roles__kind=RoleKind.ORGANISER).distinct()


def only_participation(user) -> tuple[str, str] | None:
    """(campaign key, unit code) of the one unit and campaign ``user`` acts for, when that is
    all they do (no campaign organised, no reviewing): their landing page (``views.home``)
    sends them straight there. Otherwise None, and the landing page lists what they do.

    Every login lands here, and most people are one unit's clerk: two prepared statements
    (common/prepared.py) of a few keys rather than the landing page's three ORM queries, with
    the campaigns' files' text, only to redirect (issue 18)."""
    if _other_roles.first(user.pk) is not None:
        return None
    found = _participation_keys.rows(user.pk)
    return found[0] if len(found) == 1 else None


# Whether the user organises a campaign (``campaigns_organised_by``) or reviews in one.
_other_roles = Prepared(
    lambda user_id: (
        Role.objects.filter(  # both have a campaign (the role's check constraint)
            Q(kind=_written_in(RoleKind.ORGANISER)) | Q(kind=_written_in(RoleKind.REVIEWER)),
            user_id=user_id,
        )
        .order_by()
        .values_list("pk")[:1]
    ),
    Param(-7_100_011),
)

# The keys of the first two of ``participations_of``: one is all the landing page needs to know.
_participation_keys = Prepared(
    lambda user_id: (
        Participation.objects.filter(unit_id__in=_units_of(user_id))
        .order_by()
        .values_list("campaign__key", "unit__code")[:2]
    ),
    Param(-7_100_012),
)


def categories_of(participation) -> list:
    """The campaign's categories in the file's order, each with ``participation.campaign`` as its
    campaign: its configuration as this process read it (``campaigns.configuration``)."""
    return configuration_of(participation.campaign).categories


def quota_use(categories, listed) -> list[CategoryUse]:
    """Each category's places held by the unit, counted from its nominations already listed
    (``nominations_of``): those holding a place (``Status.HOLDING_A_PLACE``), as
    ``places.places_held`` counts them, without asking the database again."""
    held = Counter(n.category.pk for n in listed if n.status in Status.HOLDING_A_PLACE)
    return [CategoryUse(category, held[category.pk], category.quota) for category in categories]


@dataclass(frozen=True, slots=True)
class Listed:
    """One of the unit's nominations as its campaign page lists it: the labels and the link
    worked out once here, not per row in the template, where they were most of the page's time
    (issue 18)."""

    pk: int
    uid: UUID
    name: str
    category: object
    status: str
    status_label: str
    photo_count: int
    has_pdf: bool
    updated_at: datetime
    url: str
    returned: object = None  # the organiser's latest return, for those ``returned`` lists


# The unit's page reads its list on every visit: a prepared statement (common/prepared.py), its
# SQL built by the ORM once per process rather than on every request. Each row's photos counted
# and its stamped PDF looked for by a subquery of its own, not by joining both tables to every
# row (photos × attachments rows, grouped again by every column of the nomination).
_listed = Prepared(
    lambda campaign_id, unit_id: (
        Nomination.objects.filter(campaign_id=campaign_id, unit_id=unit_id)
        .annotate(
            photo_count=Subquery(
                Photo.objects.filter(nomination_id=OuterRef("pk"))
                .order_by()
                .annotate(count=Func("pk", function="COUNT"))
                .values("count")
            ),
            has_pdf=Exists(
                Attachment.objects.filter(
                    nomination_id=OuterRef("pk"), kind=AttachmentKind.STAMPED_PDF
                )
            ),
        )
        .order_by("category__order", "-updated_at")
        .values_list(
            "pk", "uid", "name", "category_id", "status", "photo_count", "has_pdf", "updated_at"
        )
    ),
    Param(-7_000_011),
    Param(-7_000_012),
)


def nominations_of(participation, categories) -> list[Listed]:
    """The unit's nominations in the campaign, by category then latest change; ``categories``
    are the campaign's (already read for the quota cards), shown by each row."""
    category_of = {category.pk: category for category in categories}
    labels = {status.value: str(status.label) for status in Status}
    link = link_for("nominations:edit")
    rows = _listed.rows(participation.campaign_id, participation.unit_id)
    return [
        Listed(
            pk=pk,
            uid=uid,
            name=name,
            category=category_of[category_id],
            status=status,
            status_label=labels[status],
            photo_count=photo_count,
            has_pdf=has_pdf,
            updated_at=updated_at,
            url=link(uid),
        )
        for pk, uid, name, category_id, status, photo_count, has_pdf, updated_at in rows
    ]


def returned(listed) -> list[Listed]:
    """The unit's nominations the organiser returned for revision (of those ``listed``), each
    with the organiser's latest return (``.returned``: the audit event, its ``reason`` and
    ``at``): what the unit must deal with first."""
    found = [n for n in listed if n.status == Status.RETURNED]
    if not found:
        return found
    latest = {}
    for event in AuditEvent.objects.filter(
        nomination_id__in=[n.pk for n in found], action="nomination.return"
    ).order_by("at", "pk"):
        latest[event.nomination_id] = event
    return [replace(n, returned=latest.get(n.pk)) for n in found]


@dataclass
class TimeLeft:
    deadline: datetime
    now: datetime

    @property
    def left(self) -> timedelta:
        return self.deadline - self.now

    @property
    def passed(self) -> bool:
        return not still_open(self.deadline, self.now)

    @property
    def words(self) -> str:
        if self.passed:
            return _("已截止")
        minutes = int(self.left.total_seconds() // 60)
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        if days:
            return _("剩余%(days)s天%(hours)s小时") % {"days": days, "hours": hours}
        if hours:
            return _("剩余%(hours)s小时%(minutes)s分钟") % {"hours": hours, "minutes": minutes}
        return _("剩余%(minutes)s分钟") % {"minutes": minutes}


def time_left(participation, now=None) -> TimeLeft:
    return TimeLeft(participation.deadline, now or timezone.now())
