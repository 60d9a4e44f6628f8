"""The summary workbook (openpyxl): one sheet per category, one row per nomination.

The form's fields are the columns, after the unit and the status, and the automatic rule results
close each row. Counts are numbers, percentages are numbers formatted as percentages, dates are
dates, so the organiser can sort, filter and sum in Excel or WPS as usual.
"""

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tuixuan.campaigns import kinds
from tuixuan.campaigns.checks import WARNING
from tuixuan.nominations.reports import evaluate_many

FIXED = ["序号", "推荐单位", "状态"]
RULES = "机器检查"
HEADER_FONT = Font(bold=True, name="SimHei")
HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")
WRAP = Alignment(wrap_text=True, vertical="top")


def summary_workbook(campaign, nominations, out=None, *, progress=None) -> bytes | None:
    """Write the workbook to ``out`` (a binary file), or return its bytes.

    ``nominations`` may be any iterable of the campaign's nominations (already filtered, e.g. to
    拟推荐 only); ``progress(done)`` is called after each row.
    """
    workbook = Workbook(write_only=True)
    by_category = {}
    for nomination, report in evaluate_many(campaign, nominations):
        by_category.setdefault(nomination.category_id, []).append((nomination, report))
    done = 0
    for category in campaign.categories.prefetch_related("fields"):
        fields = list(category.fields.all())
        sheet = workbook.create_sheet(sheet_title(category.name))
        _header(sheet, fields)
        for number, (nomination, report) in enumerate(by_category.get(category.pk, []), 1):
            sheet.append(_row(sheet, number, nomination, fields, report))
            done += 1
            if progress:
                progress(done)
    if out is not None:
        workbook.save(out)
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "类别"


def _header(sheet, fields):
    titles = [*FIXED, *(spec.label for spec in fields), RULES]
    widths = [6, 24, 12, *(kinds.of(spec).excel_width for spec in fields), 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}1"
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        cells.append(cell)
    sheet.append(cells)


def text_cell(sheet, text, alignment=None):
    """A cell holding ``text`` as text, whatever it looks like: openpyxl takes any string that
    starts with "=" for a formula, so ``=HYPERLINK("http://…"&A1)`` typed into a field would
    become live in the organiser's Excel. Every text a person entered goes through here."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _row(sheet, number, nomination, fields, report):
    values = nomination.values or {}
    cells = [number, text_cell(sheet, nomination.unit.name), nomination.get_status_display()]
    for spec in fields:
        cells.append(_cell(sheet, spec, values.get(spec.key)))
    cells.append(_rules(report))
    return cells


def _cell(sheet, spec, value):
    """The value's cell as its kind says: a number or date with its format, or a text."""
    cell = kinds.of(spec).excel(value)
    if cell is None:
        return None
    if cell.text:
        return text_cell(sheet, cell.value, WRAP if cell.wrap else None)
    if cell.number_format is None:
        return cell.value
    written = WriteOnlyCell(sheet, value=cell.value)
    written.number_format = cell.number_format
    return written


def _rules(report) -> str:
    parts = []
    failing = sorted({r.rule_id for r in report.failures})
    warned = sorted({r.rule_id for r in report.results if r.status == WARNING})
    if failing:
        parts.append(f"不符合：{'、'.join(failing)}")
    if warned:
        parts.append(f"请注意：{'、'.join(warned)}")
    return "；".join(parts) or "均符合"
