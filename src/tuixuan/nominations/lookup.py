"""A nomination by its uid, for the pages and the API alike: 404 unless the person may act on it.

Built on ``common.lookup.permitted_or_404``: a nomination that does not exist and one the
person may not see answer the same, so nothing about other units' nominations is revealed.
"""

from uuid import UUID

from django.utils.translation import gettext_lazy

from tuixuan.common.lookup import permitted_or_404
from tuixuan.common.prepared import Param, Prepared

from .models import Nomination

NOT_FOUND = gettext_lazy("没有找到该推荐。")


def nominations_with_context():
    """Nominations with what every page and operation about one shows beside it; not the
    campaign file's text (``Campaign.source``: tens of kilobytes, shown only in the admin),
    which a nomination's page read and decoded for nothing (issue 18)."""
    return Nomination.objects.select_related("campaign", "category", "unit").defer(
        "campaign__source"
    )


# What a list never shows of a row's campaign: the campaign file's text and its long parts. A
# list of 200 read them 200 times, most of the API list's time (issue 18).
CAMPAIGN_TEXTS = ("source", "summary", "submission", "contacts", "layout", "calendar")


def nominations_listed():
    """``nominations_with_context`` for lists: the campaign without its texts."""
    return nominations_with_context().defer(*(f"campaign__{name}" for name in CAMPAIGN_TEXTS))


def nomination_or_404(user, uid, permission="nominations.see", *, message=NOT_FOUND):
    """The nomination ``uid`` if ``user`` has ``permission`` on it; otherwise ``Http404``.

    ``nominations_with_context`` by a prepared statement (common/prepared.py): every page and
    operation about one nomination starts here, and building the query with the ORM was a
    large part of a nomination's page (issue 18)."""
    return permitted_or_404(lambda: _by_uid.first(uid), user, permission, message=message)


def _uid_for(connection, value):
    """What the ORM makes of a uid for the database; a malformed one raises ValidationError."""
    return Nomination._meta.get_field("uid").get_db_prep_value(value, connection)


_by_uid = Prepared(
    lambda uid: nominations_with_context().filter(uid=uid).order_by(),  # uid is unique
    Param(UUID(int=7_600_001), _uid_for),
)
