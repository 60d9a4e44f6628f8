"""A campaign by its key: what every office page and many API operations ask first.

A prepared statement (common/prepared.py): building this lookup with the ORM was a noticeable
part of each office page (issue 18). Without the campaign file's text (``source``: tens of
kilobytes, shown only in the admin), which Django reads back on the rare page that asks for it.
"""

from tuixuan.common.prepared import Param, Prepared

from .models import Campaign

_by_key = Prepared(
    lambda key: Campaign.objects.filter(key=key).defer("source").order_by(),  # key is unique
    Param("(the campaign's key)"),
)
_by_key_with_parent = Prepared(
    lambda key: (
        Campaign.objects.filter(key=key)
        .select_related("parent")
        .defer("source", "parent__source")
        .order_by()
    ),
    Param("(the campaign's key)"),
)


def campaign_by_key(key, *, with_parent=False) -> Campaign | None:
    """The campaign ``key`` (with its parent campaign read in the same row, if asked), or None."""
    return (_by_key_with_parent if with_parent else _by_key).first(key)
