"""What several routers share: refusal codes, bounded pages, downloads, nominations by uid."""

from typing import Annotated
from urllib.parse import quote

from django.http import HttpResponse
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from pydantic import StringConstraints

from tuixuan.nominations.lookup import nomination_or_404
from tuixuan.nominations.models import Nomination

from .schemas import SLUG, ErrorOut

NOT_FOUND = "没有找到该推荐。"
MAX_OFFSET = 1_000_000  # far beyond any list here; bounded so the database is never asked more


def refusals(*codes) -> dict:
    """``{code: ErrorOut}`` for the refusals an operation may answer with (always 401 and 422).

    Writes list 403 too: a browser session without its CSRF token is refused with 403."""
    return {code: ErrorOut for code in sorted({401, 422, *codes})}


Slug = Annotated[str, StringConstraints(pattern=SLUG, max_length=64)]


class Pages(LimitOffsetPagination):
    """limit/offset, both bounded (an unbounded offset overflows the database's integer)."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=200, description="每页条数（1–200）")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="起始位置")

    def __init__(self, **kwargs):
        super().__init__(max_limit=200, **kwargs)


def nomination_for(request, uid, permission="nominations.see", message=NOT_FOUND) -> Nomination:
    """The nomination if the caller has ``permission`` on it; otherwise 404, revealing nothing
    (the pages' own lookup, ``nominations.lookup``, with the API's caller)."""
    return nomination_or_404(request.auth, uid, permission, message=message)


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
