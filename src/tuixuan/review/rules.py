"""The organiser's office is the organiser's alone (``rules`` predicates)."""

import rules

from tuixuan.nominations.rules import is_organiser, roles_of
from tuixuan.units.models import RoleKind

rules.add_perm("review.office", is_organiser)  # object: the campaign


@rules.predicate
def is_assigned_reviewer(user, assignment):
    """The expert this assignment names, and only while they still hold the reviewer role."""
    if assignment is None or not user.is_authenticated or assignment.reviewer_id != user.pk:
        return False
    campaign = assignment.nomination.campaign_id
    return any(
        kind == RoleKind.REVIEWER and campaign_id == campaign
        for kind, _, campaign_id in roles_of(user)
    )


rules.add_perm("review.score", is_assigned_reviewer)  # object: an assignment
