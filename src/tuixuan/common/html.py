"""The rows of a long table written as HTML in Python: the one way to do it, for the few tables
whose hundreds of cells made up most of a page's time through the template engine (issue 18:
the office's queue, the dashboard's tables of counts, the unit's list of its nominations).
With the two things such rows need done once per table, not once per row: a nomination's link
(``link_for``) and a time as the page shows it (``time_formatter``).

A row's HTML is a ``str.format`` template, written once beside its caller as the template's
loop wrote it. Every value put into it is escaped, as the template engine would have escaped
it, unless it is already safe HTML (``SafeString``, say cells written by another row template).
``html.escape`` is the standard library's, which Django's ``escape`` wraps (the same
characters), without its check for lazy text on every call.
"""

import uuid
from collections.abc import Iterable, Mapping
from html import escape

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeData, SafeString, mark_safe

from tuixuan.common.phrases import phrases


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


# A uid no nomination has: reversed once, then replaced by each row's own.
PLACEHOLDER = str(uuid.UUID(int=0))


def link_for(viewname):
    """``viewname``'s URL for a nomination's uid, as ``reverse`` gives it, reversing once.
    A uid is hexadecimal digits and hyphens: it goes into a path as it is."""
    head, tail = reverse(viewname, args=[PLACEHOLDER]).split(PLACEHOLDER)
    return lambda uid: f"{head}{uid}{tail}"


def time_formatter(format_name):
    """``{{ value|date:phrases.<format_name> }}`` as a function: the format translated and cut
    into its letters and its literal text once (as ``dateformat`` cuts it on every call), each
    value then written by Django's own ``DateFormat`` letter by letter. A format that shows
    nothing finer than the minute writes every moment of a minute alike, so each minute is
    written once a table (a queue's rows arrive in bursts near the deadline)."""
    parts = dateformat.re_formatchars.split(str(getattr(phrases, format_name)))
    letters = parts[1::2]
    texts = [dateformat.re_escaped.sub(r"\1", text) for text in parts[::2]]
    by_minute = not set(letters) & set("sufUvcrIOPeTZ")  # seconds, time zones: finer or other
    written = {}

    def write(value):
        moment = dateformat.DateFormat(timezone.localtime(value))
        pieces = [texts[0]]
        for letter, text in zip(letters, texts[1:], strict=True):
            pieces += (str(getattr(moment, letter)()), text)
        return "".join(pieces)

    def formatted(value):
        if not value:
            return ""
        if not by_minute:
            return write(value)
        minute = value.replace(second=0, microsecond=0)
        if minute not in written:
            written[minute] = write(minute)
        return written[minute]

    return formatted
