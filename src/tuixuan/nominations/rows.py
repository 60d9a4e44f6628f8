"""The rows of the unit's list of its nominations (its campaign page), written as HTML once.

Through the template's loop, a unit's few dozen rows were more than a third of the page's work
(issue 18: 19,000 of 49,000 function calls a request); ``common.html.rows_html`` writes them
with every value escaped, as the template did.
"""

from html import escape

from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from tuixuan.common.html import rows_html, time_formatter

# The list's column headings, which are also each cell's label on a phone (data-label).
LABELS = {
    "category": gettext_lazy("类别"),
    "name": gettext_lazy("名称"),
    "status": gettext_lazy("状态"),
    "photos": gettext_lazy("照片"),
    "pdf": gettext_lazy("盖章PDF"),
    "updated": gettext_lazy("更新时间"),
}

# One row, as the template's loop wrote it.
ROW = """
    <tr>
      <td data-label="{category_label}">{category}</td>
      <td data-label="{name_label}"><a href="{url}">{name}</a></td>
      <td data-label="{status_label}"><span class="status status-{status}">{status_text}</span></td>
      <td data-label="{photos_label}">{photos}</td>
      <td data-label="{pdf_label}">{pdf}</td>
      <td data-label="{updated_label}">{updated}</td>
    </tr>
  """


def nomination_rows(listed) -> SafeString:
    """``listed`` (``portal.nominations_of``) as the rows of the unit's table: its category,
    its name (or that it has none yet) linking to its page, its status, how many photos, whether
    the stamped PDF is uploaded, and when it last changed (day and time, Beijing).

    What many rows show alike (a category, a status, the words for a PDF uploaded or not, a
    minute) is escaped once for the table; only the name is the row's own text."""
    day_time = time_formatter("day_time")
    once = {}

    def escaped(value) -> SafeString:
        found = once.get(value)
        if found is None:
            found = once[value] = SafeString(escape(value))
        return found

    unnamed, uploaded, missing = (
        escaped(gettext("（未填写名称）")),
        escaped(gettext("已上传")),
        escaped(gettext("未上传")),
    )
    return rows_html(
        ROW,
        (
            {
                "category": escaped(n.category.name),
                "url": n.url,
                "name": n.name or unnamed,
                "status": escaped(n.status),
                "status_text": escaped(n.status_label),
                "photos": SafeString(n.photo_count),
                "pdf": uploaded if n.has_pdf else missing,
                "updated": escaped(day_time(n.updated_at)),
            }
            for n in listed
        ),
        **{f"{key}_label": label for key, label in LABELS.items()},
    )
