"""Who may export and download documents (``rules`` predicates, as in nominations/rules.py)."""

import rules

from tuixuan.nominations.rules import is_organiser, is_unit_member

rules.add_perm("documents.export", is_organiser)  # object: the campaign
rules.add_perm("documents.download_form", is_unit_member | is_organiser)  # object: a nomination
