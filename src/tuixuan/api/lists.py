"""A page of the API's lists of nominations (the unit's and the office's), made in few steps.

A list answers ``{"items": [...], "count": n}`` from two statements: the count, and the page's
rows found by their keys first (a "deferred join": sorting the whole list on SQLite would drag
every row's values along; the sort reads only the keys, the page's rows are read whole after).
Each statement is the ORM's own, prepared once for each shape of list (which filters the caller
gave, how many units, the page's limit and offset: ``common/prepared.py``) and then only
executed; building and compiling them with the ORM were a third of a small list's time. The
rows are then written out as the JSON values ``NominationOut`` gives (``nomination_items``), and
the answer is rendered at once: validating every row with pydantic and then asking the JSON
encoder's ``default`` for each time and uid were another third (issue 18). The operation's
declared answer (``list[NominationOut]``, paged) still makes its OpenAPI schema.
"""

from enum import Enum
from functools import partial, wraps

from django.db.models import Count, Value
from django.http import HttpResponse
from ninja.pagination import make_response_paginated
from ninja.utils import contribute_operation_args, contribute_operation_callback

from tuixuan.common.prepared import Param, Prepared
from tuixuan.nominations.models import Nomination

from .common import RENDERER, Pages
from .schemas import nomination_items, nomination_rows

PAGES = Pages()
# Shapes of list prepared at most; past it the oldest is dropped (a script paging through a
# long list with ever new offsets makes a shape a page, each one small).
MOST_SHAPES = 256
_prepared: dict[tuple, tuple[Prepared, Prepared]] = {}


class Listing:
    """What a list operation returns: ``build(**values)`` is the list's nominations, sorted
    (a queryset); ``values`` what the caller gave for it, each a text, a whole number, or a
    tuple of them (the caller's units), compared for equality only."""

    def __init__(self, build, **values):
        self.build = build
        self.values = {name: _plain(value) for name, value in values.items()}

    def page(self, offset: int, limit: int) -> dict:
        """The answer: the page's items, written out, and the count of the whole list."""
        if any(value == () for value in self.values.values()):
            return {"items": [], "count": 0}  # no unit: nothing to ask (the ORM asks nothing)
        shape = tuple(
            (name, len(value) if isinstance(value, tuple) else None)
            for name, value in self.values.items()
        )
        key = (self.build, shape, offset, limit)
        statements = _prepared.get(key)
        if statements is None:
            statements = self._prepare(offset, limit)
            if len(_prepared) >= MOST_SHAPES:
                _prepared.pop(next(iter(_prepared)))
            _prepared[key] = statements
        count, rows = statements
        given = [
            part
            for value in self.values.values()
            for part in (value if isinstance(value, tuple) else (value,))
        ]
        counted = count.first(*given)
        return {"items": nomination_items(rows.rows(*given)), "count": counted[0] if counted else 0}

    def _prepare(self, offset, limit) -> tuple[Prepared, Prepared]:
        params, examples = [], {}
        for name, value in self.values.items():
            parts = value if isinstance(value, tuple) else (value,)
            made = [_example(part, len(params) + index) for index, part in enumerate(parts)]
            params.extend(Param(example) for example in made)
            examples[name] = tuple(made) if isinstance(value, tuple) else made[0]
        names = list(examples)

        def listed(*given):
            values, at = {}, 0
            for name in names:
                if isinstance(examples[name], tuple):
                    values[name] = given[at : at + len(examples[name])]
                    at += len(examples[name])
                else:
                    values[name] = given[at]
                    at += 1
            return self.build(**values)

        def counted(*given):
            # A constant to group by, which the ORM leaves out: one COUNT over the list.
            nominations = listed(*given).order_by()
            return (
                nominations.annotate(one=Value(1)).values("one").annotate(n=Count("pk")).values("n")
            )

        def rows(*given):
            nominations = listed(*given)
            keys = nominations.values("pk")[offset : offset + limit]
            ordering = nominations.query.order_by
            return nomination_rows(Nomination.objects.filter(pk__in=keys).order_by(*ordering))

        return Prepared(counted, *params), Prepared(rows, *params)


def _plain(value):
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return tuple(_plain(part) for part in value)
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise TypeError(f"A list is filtered by texts and whole numbers, not {value!r}.")
    return value


def _example(value, index):
    """A value of ``value``'s type that no query has among its own constants."""
    return f"\x00example {index}" if isinstance(value, str) else -1_000_001 - index


def paged(operation):
    """The list operation ``operation`` (returning a ``Listing``), paged by limit and offset
    (``Pages``) and answered as JSON at once. Its parameters and its answer's schema are those
    ninja's ``paginate(Pages)`` gives (through the same ninja functions)."""

    @wraps(operation)
    def answered(request, **kwargs):
        pages = kwargs.pop("ninja_pagination")
        listing = operation(request, **kwargs)
        page = listing.page(pages.offset, min(pages.limit, PAGES.max_limit))
        return json_answer(request, page)

    contribute_operation_args(answered, "ninja_pagination", PAGES.Input, PAGES.InputSource)
    contribute_operation_callback(answered, partial(make_response_paginated, PAGES))
    return answered


def json_answer(request, data, status=200) -> HttpResponse:
    """``data`` (JSON values only) rendered as ninja renders the API's answers."""
    content = RENDERER.render(request, data, response_status=status)
    content_type = f"{RENDERER.media_type}; charset={RENDERER.charset}"
    return HttpResponse(content, status=status, content_type=content_type)
