"""One way to fetch an object a person asked for by its id: 404 unless they are permitted.

Pages and API operations alike call ``get_permitted_or_404``. Whether the object does not exist,
the id is malformed, or it exists but the person may not see it, the answer is the same
``Http404`` with the same message, so a stranger learns nothing about what exists. The pages show
the message on the 404 page; the API answers 404 with it as JSON (``api.errors``).

Services, handed an object already fetched, ask ``require_permission`` before they act.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

NOT_FOUND = gettext_lazy("没有找到该资源。")
CAMPAIGN_NOT_FOUND = gettext_lazy("没有找到该活动。")


def get_permitted_or_404(
    queryset,
    user,
    permission: str,
    *,
    message: str = NOT_FOUND,
    on: Callable | None = None,
    **lookup,
):
    """The one object of ``queryset`` matching ``lookup`` on which ``user`` has ``permission``.

    ``on(found)`` names the object the permission is asked of when it is not the object itself
    (an export's campaign). ``permission=""`` means anyone may see what the queryset holds (it
    is already limited to what is public).
    """
    return permitted_or_404(
        lambda: queryset.filter(**lookup).first(), user, permission, message=message, on=on
    )


def permitted_or_404(find: Callable, user, permission: str, *, message: str = NOT_FOUND, on=None):
    """``get_permitted_or_404`` of what ``find()`` finds (or None): for a caller that asks by a
    prepared statement (common/prepared.py) rather than a queryset."""
    try:
        found = find()
    except (ValidationError, ValueError):  # an id that cannot be one: "abc" for a uuid
        found = None
    if found is None:
        raise Http404(message)
    if permission and not user.has_perm(permission, on(found) if on else found):
        raise Http404(message)
    return found


def require_permission(user, permission: str, obj) -> None:
    """What a service asks before it acts on an object it was handed (the page or the API has
    already fetched it): ``PermissionDenied`` unless ``user`` has ``permission`` on ``obj``."""
    if not user.has_perm(permission, obj):
        raise PermissionDenied(_("您没有权限进行此操作。"))
