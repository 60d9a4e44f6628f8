"""The rows of the office's long lists, prepared once in Python before the template sees them.

A queue of 200 rendered through model instances, a per-row ``{% url %}``, ``|date`` and
``{% include %}`` spent most of its time on that bookkeeping (issue 18). Here each row is read as
plain values (``values_list``: no model built), its link is the one reversed URL with the row's
uid in it, and its time is formatted with the format resolved once for the page.
"""

import uuid
from dataclasses import dataclass

from django.urls import reverse
from django.utils import dateformat, timezone

from tuixuan.common.phrases import phrases

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
    value then written by Django's own ``DateFormat`` letter by letter."""
    parts = dateformat.re_formatchars.split(str(getattr(phrases, format_name)))
    letters = parts[1::2]
    texts = [dateformat.re_escaped.sub(r"\1", text) for text in parts[::2]]

    def formatted(value):
        if not value:
            return ""
        written = dateformat.DateFormat(timezone.localtime(value))
        pieces = [texts[0]]
        for letter, text in zip(letters, texts[1:], strict=True):
            pieces += (str(getattr(written, letter)()), text)
        return "".join(pieces)

    return formatted


@dataclass(frozen=True, slots=True)
class QueueRow:
    """A nomination waiting for formal review, as the queue shows it."""

    category: str
    name: str
    unit: str
    link: str  # its review page
    submitted: str  # when it was handed in (day and time, Beijing)


QUEUE_COLUMNS = ("uid", "name", "category__name", "unit__name", "submitted_at")


def queue_rows(values) -> list[QueueRow]:
    """``values`` (a page of ``QUEUE_COLUMNS`` tuples) as the queue's rows."""
    link = link_for("review:nomination")
    day_time = time_formatter("day_time")
    return [
        QueueRow(category, name, unit, link(uid), day_time(submitted_at))
        for uid, name, category, unit, submitted_at in values
    ]
