"""The rows of the office's long lists, prepared once in Python before the template sees them.

A queue of 200 rendered through model instances, a per-row ``{% url %}``, ``|date`` and
``{% include %}`` spent most of its time on that bookkeeping (issue 18). Here each row is read as
plain values (``values_list``: no model built), its link is the one reversed URL with the row's
uid in it, its time is formatted with the format resolved once for the page, and the queue's
rows are written as HTML here, once (``queue_rows``).
"""

import uuid

from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from tuixuan.common.html import rows_html
from tuixuan.common.phrases import phrases

# A uid no nomination has: reversed once, then replaced by each row's own.
PLACEHOLDER = str(uuid.UUID(int=0))


def link_for(viewname):
    """``viewname``'s URL for a nomination's uid, as ``reverse`` gives it, reversing once.
    A uid is hexadecimal digits and hyphens: it goes into a path as it is."""
    head, tail = reverse(viewname, args=[PLACEHOLDER]).split(PLACEHOLDER)
    return lambda uid: f"{head}{uid}{tail}"


# The format letters that are plain numbers of the local time, written here without building a
# ``DateFormat`` for each value (as ``DateFormat`` writes them); any other letter (a month's name,
# say, in English) is left to ``DateFormat``.
NUMBER_LETTERS = {
    "Y": lambda moment: str(moment.year),
    "m": lambda moment: f"{moment.month:02d}",
    "n": lambda moment: str(moment.month),
    "d": lambda moment: f"{moment.day:02d}",
    "j": lambda moment: str(moment.day),
    "H": lambda moment: f"{moment.hour:02d}",
    "G": lambda moment: str(moment.hour),
    "i": lambda moment: f"{moment.minute:02d}",
}


def time_formatter(format_name):
    """``{{ value|date:phrases.<format_name> }}`` as a function: the format translated and cut
    into its letters and its literal text once (as ``dateformat`` cuts it on every call), each
    value then written letter by letter, the numbers directly and any other letter by Django's
    own ``DateFormat``. A format without seconds writes every moment of one minute alike, so
    each minute is written once (a queue's rows arrive in bursts near the deadline)."""
    parts = dateformat.re_formatchars.split(str(getattr(phrases, format_name)))
    letters = parts[1::2]
    texts = [dateformat.re_escaped.sub(r"\1", text) for text in parts[::2]]
    by_minute = not set(letters) & set("sufUvcrIOPeTZ")  # nothing finer than the minute
    written = {}

    def write(moment):
        local = timezone.localtime(moment)
        django_format = None
        pieces = [texts[0]]
        for letter, text in zip(letters, texts[1:], strict=True):
            number = NUMBER_LETTERS.get(letter)
            if number is None:
                django_format = django_format or dateformat.DateFormat(local)
                pieces += (str(getattr(django_format, letter)()), text)
            else:
                pieces += (number(local), text)
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


# The queue's column headings, which are also each cell's label on a phone (data-label).
QUEUE_LABELS = {
    "category": gettext_lazy("类别"),
    "name": gettext_lazy("名称"),
    "unit": gettext_lazy("推荐单位"),
    "submitted": gettext_lazy("提交时间"),
}

# One row of the queue's table, as the template's loop wrote it (whitespace included): through
# the template, 200 rows were 1,600 variables resolved and escaped one by one, most of the
# page's time (issue 18).
QUEUE_ROW = """
    <tr>
      <td data-label="{category_label}">{category}</td>
      <td data-label="{name_label}"><a href="{link}">{name}</a></td>
      <td data-label="{unit_label}">{unit}</td>
      <td data-label="{submitted_label}">{submitted}</td>
    </tr>
  """

QUEUE_COLUMNS = ("uid", "name", "category__name", "unit__name", "submitted_at")


def queue_rows(values) -> SafeString:
    """``values`` (a page of ``QUEUE_COLUMNS`` tuples) as the rows of the queue's table: each
    row's link is its review page, its time when it was handed in (day and time, Beijing).
    Everything read from the database is escaped."""
    link = link_for("review:nomination")
    day_time = time_formatter("day_time")
    return rows_html(
        QUEUE_ROW,
        (
            {
                "category": category,
                "name": name,
                "link": link(uid),
                "unit": unit,
                "submitted": day_time(submitted_at),
            }
            for uid, name, category, unit, submitted_at in values
        ),
        **{f"{key}_label": label for key, label in QUEUE_LABELS.items()},
    )
