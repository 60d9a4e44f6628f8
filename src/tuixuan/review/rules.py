"""The organiser's office is the organiser's alone (``rules`` predicates)."""

import rules

from tuixuan.nominations.rules import is_organiser
from tuixuan.units.models import Role, RoleKind

rules.add_perm("review.office", is_organiser)  # object: the campaign


@rules.predicate
def is_assigned_reviewer(user, assignment):
    """The expert this assignment names, and only while they still hold the reviewer role."""
    if assignment is None or not user.is_authenticated or assignment.reviewer_id != user.pk:
        return False
    return Role.objects.filter(
        user=user, kind=RoleKind.REVIEWER, campaign_id=assignment.nomination.campaign_id
    ).exists()


rules.add_perm("review.score", is_assigned_reviewer)  # object: an assignment
