"""What several routers share: refusal codes, bounded pages, downloads, and the one way each
router finds what a caller names (a nomination, a campaign, a category, anything else by id)."""

from typing import Annotated
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.renderers import JSONRenderer
from pydantic import StringConstraints

from tuixuan.campaigns.configuration import configuration_of
from tuixuan.campaigns.lookup import campaign_by_key
from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import get_permitted_or_404, permitted_or_404
from tuixuan.nominations.lookup import nomination_or_404, nominations_with_context
from tuixuan.nominations.models import Nomination

from .schemas import SLUG, ErrorOut

NOT_FOUND = _("没有找到该推荐。")
CAMPAIGN_NOT_FOUND = _("没有找到该推选活动。")
MAX_OFFSET = 1_000_000  # far beyond any list here; bounded so the database is never asked more
# The filters a list may take, and what each asks of a nomination.
FILTERS = {
    "campaign": "campaign__key",
    "year": "campaign__year",
    "category": "category__key",
    "status": "status",
    "unit": "unit__code",
}


class Utf8JSONRenderer(JSONRenderer):
    """Chinese as itself, not as \\u escapes: readable in curl and in logs (JSON is UTF-8)."""

    json_dumps_params = {"ensure_ascii": False}


RENDERER = Utf8JSONRenderer()  # the API's (api.py), and the lists' own answers (lists.py)


def refusals(*codes) -> dict:
    """``{code: ErrorOut}`` for the refusals an operation may answer with (always 401 and 422).

    Writes list 403 too: a browser session without its CSRF token is refused with 403."""
    return {code: ErrorOut for code in sorted({401, 422, *codes})}


Slug = Annotated[str, StringConstraints(pattern=SLUG, max_length=64)]


class Pages(LimitOffsetPagination):
    """limit/offset, both bounded (an unbounded offset overflows the database's integer)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=200, description=_("每页条数（1–200）"))
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description=_("起始位置"))

    def __init__(self, **kwargs):
        super().__init__(max_limit=200, **kwargs)


def given_filters(filters) -> dict:
    """The filters (``FILTERS``) the caller gave in ``filters`` (a schema), by name."""
    found = {name: getattr(filters, name, None) for name in FILTERS}
    return {name: value for name, value in found.items() if value is not None}


def filtered(queryset, filters, nomination=""):
    """``queryset`` narrowed by the filters the caller gave (a schema, or ``given_filters``'s
    dict); ``nomination`` is the path from the queryset's model to its nomination
    (``"nomination__"`` for exemplars)."""
    given = filters if isinstance(filters, dict) else given_filters(filters)
    return queryset.filter(**{nomination + FILTERS[name]: value for name, value in given.items()})


def found(queryset, message, **lookup):
    """The one object of ``queryset`` (already only what the caller may see) matching
    ``lookup``; otherwise 404 with ``message``."""
    return get_permitted_or_404(queryset, None, "", message=message, **lookup)


def nomination_for(request, uid, permission="nominations.see", message=NOT_FOUND) -> Nomination:
    """The nomination if the caller has ``permission`` on it; otherwise 404, revealing nothing
    (the pages' own lookup, ``nominations.lookup``, with the API's caller)."""
    return nomination_or_404(request.auth, uid, permission, message=message)


def fresh(nomination) -> Nomination:
    """The nomination as it is now, with what its answer shows (after a service changed it)."""
    return nominations_with_context().get(pk=nomination.pk)


def campaign_of(key) -> Campaign:
    """The campaign named in the path (campaigns are public), else 404."""
    return permitted_or_404(lambda: campaign_by_key(key), None, "", message=CAMPAIGN_NOT_FOUND)


def category_of(campaign, key, *, field=""):
    """The campaign's category ``key``, its fields read (``campaigns.configuration``); otherwise
    refused listing the valid keys: 404 for a key in the path, or 422 naming ``field`` for a key
    the caller sent in the body."""
    configured = configuration_of(campaign)
    category = configured.category(key)
    if category is None:
        keys = ", ".join(category.key for category in configured.categories)
        message = gettext("该活动没有类别“%(key)s”；可用的类别：%(keys)s。")
        message %= {"key": key, "keys": keys}
        if field:
            raise Refused(message, field=field)
        raise Http404(message)
    return category


def attachment(content, content_type, filename) -> HttpResponse:
    """A download: the file's own type, its name in UTF-8, never cached by anyone else."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    response["Cache-Control"] = "private, no-store"
    return response


def binary(description, *content_types) -> dict:
    """The OpenAPI description of a binary 200 answer (``openapi_extra``)."""
    file = {"schema": {"type": "string", "format": "binary"}}
    return {
        "responses": {
            "200": {"description": description, "content": dict.fromkeys(content_types, file)}
        }
    }
