"""Who may do what to a nomination: ``rules`` predicates, the one place that says so.

Views, the API and the services all ask ``user.has_perm("nominations.<action>", obj)``. The names
avoid Django's own model permissions (``view_nomination`` …), which the admin grants per model and
which would otherwise let a staff account act on every unit's nominations.
"""

import rules
from django.utils import timezone

from tuixuan.common.memo import remembered
from tuixuan.common.prepared import Param, Prepared
from tuixuan.units.models import RecommendingUnit, Role, RoleKind

from . import deadlines
from .models import Status
from .transitions import TRANSITIONS


def _campaign_of(obj):
    return getattr(obj, "campaign", obj)


def roles_of(user) -> frozenset:
    """The user's roles as (kind, unit id, campaign id): one query per request
    (common/memo.py), however many permissions the page asks, prepared once per process
    (common/prepared.py)."""
    return remembered(("roles", user.pk), lambda: frozenset(_roles.rows(user.pk)))


_roles = Prepared(
    lambda user_id: Role.objects.filter(user_id=user_id).values_list(
        "kind", "unit_id", "campaign_id"
    ),
    Param(-7_300_001),
)


@rules.predicate
def is_unit_member(user, obj):
    """The user acts for the unit that owns the nomination (or for the unit itself)."""
    if obj is None or not user.is_authenticated:
        return False
    unit_id = obj.pk if isinstance(obj, RecommendingUnit) else obj.unit_id
    return any(kind == RoleKind.UNIT_MEMBER and unit == unit_id for kind, unit, _ in roles_of(user))


@rules.predicate
def is_organiser(user, obj):
    """The user organises the campaign the object belongs to."""
    if obj is None or not user.is_authenticated:
        return False
    campaign = _campaign_of(obj)
    return any(
        kind == RoleKind.ORGANISER and campaign_id == campaign.pk
        for kind, _, campaign_id in roles_of(user)
    )


@rules.predicate
def is_assigned_reviewer_of(user, nomination):
    """An expert assigned to this nomination who has not declined it."""
    if nomination is None or not user.is_authenticated:
        return False
    return (
        any(
            kind == RoleKind.REVIEWER and campaign_id == nomination.campaign_id
            for kind, _, campaign_id in roles_of(user)
        )
        and nomination.assignments.filter(reviewer=user, conflict=False).exists()
    )


rules.add_perm("nominations.see", is_unit_member | is_organiser)
# Photos, but never contact details, reach the experts assigned to the nomination.
rules.add_perm("nominations.see_photos", is_unit_member | is_organiser | is_assigned_reviewer_of)
rules.add_perm("nominations.create_in_unit", is_unit_member)  # object: the unit
rules.add_perm("nominations.edit", is_unit_member)
rules.add_perm("nominations.submit", is_unit_member)
rules.add_perm("nominations.withdraw", is_unit_member)
rules.add_perm("nominations.review", is_organiser)  # return, accept, mark reviewed
rules.add_perm("nominations.select", is_organiser)  # shortlist, announce, forward, result
rules.add_perm("nominations.decide_flag", is_organiser)


# State-aware permissions: who may, and may now, given the nomination's state. Pages ask these
# (``has_perm("nominations.withdraw_now", nomination)``) instead of testing sets of states.


def in_states(states, name):
    """A predicate: the nomination is in one of ``states`` (a group on ``Status``)."""
    return rules.predicate(lambda user, nomination: nomination.status in states, name=name)


def has_permission(permission):
    return rules.predicate(lambda user, obj: user.has_perm(permission, obj), name=permission)


@rules.predicate
def in_time(user, nomination):
    """The unit may still change it now (``deadlines.in_time``): pages do not offer what the
    service would refuse after the deadline."""
    return deadlines.in_time(nomination, timezone.now())


def _may_now(transition):
    """Who may, from which states, and for the unit's own transitions, before the deadline."""
    now = has_permission(transition.permission) & in_states(
        transition.sources, f"can_{transition.action}"
    )
    return now & in_time if transition.until_deadline else now


rules.add_perm(
    "nominations.edit_now",
    is_unit_member & in_states(Status.EDITABLE, "editable") & in_time,
)
rules.add_perm(
    "nominations.publish_now", is_organiser & in_states(Status.PUBLISHABLE, "publishable")
)
for _transition in TRANSITIONS.values():
    rules.add_perm(f"nominations.{_transition.action}_now", _may_now(_transition))
