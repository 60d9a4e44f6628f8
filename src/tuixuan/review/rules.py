"""The organiser's office is the organiser's alone (``rules`` predicates)."""

import rules

from tuixuan.nominations.rules import is_organiser

rules.add_perm("review.office", is_organiser)  # object: the campaign
