"""The rows of a long table written as HTML in Python: the one way to do it, for the few tables
whose hundreds of cells made up most of a page's time through the template engine (issue 18:
the office's queue, the dashboard's tables of counts).

A row's HTML is a ``str.format`` template, written once beside its caller as the template's
loop wrote it. Every value put into it is escaped, as the template engine would have escaped
it, unless it is already safe HTML (``SafeString``, say cells written by another row template).
``html.escape`` is the standard library's, which Django's ``escape`` wraps (the same
characters), without its check for lazy text on every call.
"""

from collections.abc import Iterable, Mapping
from html import escape

from django.utils.safestring import SafeData, SafeString, mark_safe


def rows_html(template: str, rows: Iterable[Mapping], **shared) -> SafeString:
    """``template`` filled in with each of ``rows`` (the names of its fields to their values),
    the rows' HTML one after the other. ``shared``: values the same in every row (headings)."""
    common = {name: _escaped(value) for name, value in shared.items()}
    return mark_safe(
        "".join(
            template.format(**common, **{name: _escaped(value) for name, value in row.items()})
            for row in rows
        )
    )


def _escaped(value) -> str:
    if isinstance(value, SafeData):
        return value
    return escape(str(value))
