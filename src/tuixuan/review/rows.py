"""The rows of the office's long lists, prepared once in Python before the template sees them.

A queue of 200 rendered through model instances, a per-row ``{% url %}``, ``|date`` and
``{% include %}`` spent most of its time on that bookkeeping (issue 18). Here each row is read as
plain values (``values_list``: no model built), its link is the one reversed URL with the row's
uid in it, its time is formatted with the format resolved once for the page, and the queue's
rows are written as HTML here, once (``queue_rows``).
"""

from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from tuixuan.common.html import link_for, rows_html, time_formatter

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
