"""The summary workbook (openpyxl): one sheet per category, one row per nomination.

The form's fields are the columns, after the unit and the status, and the automatic rule results
close each row. Counts are numbers, percentages are numbers formatted as percentages, dates are
dates, so the organiser can sort, filter and sum in Excel or WPS as usual.

It prints as the organiser's meeting needs it: landscape A4, one page wide, the header row on
every page, each column as wide as its content (up to the kind's width, then wrapped). A last
sheet, 说明, says which campaign, when, and which nominations (the statuses chosen).
"""

import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tuixuan.campaigns import kinds
from tuixuan.campaigns.checks import WARNING
from tuixuan.nominations.models import Status
from tuixuan.nominations.reports import evaluate_many

FIXED = ["序号", "推荐单位", "状态"]
RULES = "机器检查"
HEADER_FONT = Font(bold=True, name="SimHei")
HEADER_FILL = PatternFill("solid", fgColor="FCE4D6")
WRAP = Alignment(wrap_text=True, vertical="top")
FIXED_WIDTHS = [6, 24, 12]  # the caps of 序号, 推荐单位, 状态
RULES_WIDTH = 40
NARROWEST = 6
HEADER_SHARE = 16  # a header wraps: it widens its column up to this, no further
NOTES = "说明"


@dataclass(frozen=True)
class Columns:
    """Columns an app above this one adds to a category's sheet, after 状态: their titles, print
    widths and number formats, and each nomination's values (by pk; a missing one stays empty)."""

    titles: list
    widths: list
    formats: list  # a number format per column, or None
    values: dict  # nomination pk → [value per column]


# The ranking's columns (review's ``score_columns`` fills them): the headers are the workbook's,
# in Chinese like all of it; {aggregate} is the campaign's way of combining the experts' scores.
RANKING_TITLES = ("得分（{aggregate}）", "评分专家数", "极差", "名次")

# Who adds columns (the review app: the experts' scores and the rank, registered in its
# ``apps.py``): each is called with the category and the nominations of its sheet, and returns
# ``Columns`` or None. Registered, not imported: the workbook sits below the apps that score.
_ADDED = []


def add_columns(provider):
    if provider not in _ADDED:
        _ADDED.append(provider)
    return provider


def summary_workbook(
    campaign, nominations, out=None, *, progress=None, statuses=None
) -> bytes | None:
    """Write the workbook to ``out`` (a binary file), or return its bytes.

    ``nominations`` may be any iterable of the campaign's nominations (already filtered, e.g. to
    拟推荐 only, named by ``statuses`` for the 说明 sheet); ``progress(done)`` is called after
    each row.
    """
    workbook = Workbook(write_only=True)
    by_category = {}
    for nomination, report in evaluate_many(campaign, nominations):
        by_category.setdefault(nomination.category_id, []).append((nomination, report))
    done = 0
    for category in campaign.categories.prefetch_related("fields"):
        fields = list(category.fields.all())
        sheet = workbook.create_sheet(sheet_title(category.name))
        here = by_category.get(category.pk, [])
        added = [
            columns
            for provider in _ADDED
            if (columns := provider(category, [nomination for nomination, _report in here]))
        ]
        rows = []  # all of them first: a write-only sheet takes its column widths before any row
        for number, (nomination, report) in enumerate(here, 1):
            rows.append(_row(sheet, number, nomination, fields, report, added))
        _print_setup(sheet)
        _header(sheet, fields, rows, added)
        for row in rows:
            sheet.append(row)
            done += 1
            if progress:
                progress(done)
    _notes(workbook, campaign, statuses, done)
    if out is not None:
        workbook.save(out)
        return None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sheet_title(name: str) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\."""
    return re.sub(r"[\[\]:*?/\\]", "", name)[:31] or "类别"


def _print_setup(sheet):
    """Landscape A4, one page wide (as many pages long as it takes), the header on every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6


def _header(sheet, fields, rows, added=()):
    titles = [
        *FIXED,
        *(t for c in added for t in c.titles),
        *(spec.label for spec in fields),
        RULES,
    ]
    caps = [
        *FIXED_WIDTHS,
        *(w for c in added for w in c.widths),
        *(kinds.of(spec).excel_width for spec in fields),
        RULES_WIDTH,
    ]
    for index, (title, cap) in enumerate(zip(titles, caps, strict=True), start=1):
        content = 0
        for row in rows:  # stops at the cap: a thousand 1,000-character texts need not be read
            content = max(content, _width(row[index - 1], cap))
            if content >= cap:
                break
        wanted = max(NARROWEST, min(_text_width(title), HEADER_SHARE), content) + 2
        sheet.column_dimensions[get_column_letter(index)].width = min(cap, wanted)
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(titles))}1"
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        cells.append(cell)
    sheet.append(cells)


def _text_width(text, limit=None) -> int:
    """Columns the longest line of a text takes in Excel: two for a Chinese (wide) character, one
    for the others; counting stops once past ``limit``."""
    widest = 0
    for line in str(text).split("\n"):
        width = 0
        for character in line:
            width += 2 if unicodedata.east_asian_width(character) in "WF" else 1
            if limit is not None and width >= limit:
                return width
        widest = max(widest, width)
    return widest


def _width(cell, limit) -> int:
    value = getattr(cell, "value", cell)
    if value is None:
        return 0
    if isinstance(value, date | datetime):
        return 11
    return _text_width(value, limit)


def _notes(workbook, campaign, statuses, count):
    """The 说明 sheet: what this workbook is, so a printed copy explains itself."""
    sheet = workbook.create_sheet(NOTES)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60
    labels = {value: str(label) for value, label in Status.choices}  # lazy labels, in Chinese here
    chosen = "、".join(labels.get(status, status) for status in statuses) if statuses else "全部"
    lines = [
        ("活动", campaign.title),
        ("发文单位", campaign.issuer),
        ("导出时间", timezone.localtime().strftime("%Y年%m月%d日 %H:%M")),
        ("筛选条件", f"推荐状态：{chosen}"),
        ("推荐数", count),
        ("说明", "每个类别一张工作表；“机器检查”列为系统按活动文件自动检查的结果，仅供参考。"),
    ]
    for label, value in lines:
        name = WriteOnlyCell(sheet, value=label)
        name.font = HEADER_FONT
        sheet.append([name, value if isinstance(value, int) else text_cell(sheet, value, WRAP)])


def text_cell(sheet, text, alignment=None):
    """A cell holding ``text`` as text, whatever it looks like: openpyxl takes any string that
    starts with "=" for a formula, so ``=HYPERLINK("http://…"&A1)`` typed into a field would
    become live in the organiser's Excel. Every text a person entered goes through here."""
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _row(sheet, number, nomination, fields, report, added=()):
    values = nomination.values or {}
    cells = [number, text_cell(sheet, nomination.unit.name), nomination.get_status_display()]
    for columns in added:
        mine = columns.values.get(nomination.pk) or [None] * len(columns.titles)
        for value, number_format in zip(mine, columns.formats, strict=True):
            if value is None or number_format is None:
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = number_format
            cells.append(cell)
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
