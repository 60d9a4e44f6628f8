"""Batch import: a unit fills many drafts of one category in one Excel workbook.

``template_workbook(category)`` is the workbook to fill: one sheet with the category's fields as
columns (the summary workbook's columns for that category, labelled alike), a header row, a
choice list where the campaign file lists the choices, and a 填写说明 sheet with one line per
column (its kind, whether required, the file's help, an example as the kind reads it back).

``read_workbook(category, upload)`` reads a filled one (read-only, data only as typed: a formula is
its text, never evaluated, and a text starting with "=" stays text) within ``LIMITS``, each cell
through its kind's ``from_excel`` and each row through ``kinds.clean_values``: every row with its
Excel row number and every problem with its column's label. Nothing is created here; the unit
sees the preview and then ``nominations.services.create_many`` creates every row or none.
"""

import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from tuixuan.campaigns import checks, kinds
from tuixuan.campaigns.kinds import FieldError
from tuixuan.common.archive import MIB, Limits, open_archive
from tuixuan.common.exceptions import Refused

from .xlsx import HEADER_FILL, HEADER_FONT, _text_width, sheet_title

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES = gettext_lazy("填写说明")
MAX_BYTES = 5 * MIB  # the workbook as uploaded
MAX_ROWS = 200  # filled rows below the header
MAX_COLUMNS = 100
# A workbook is a zip: its parts are checked before openpyxl inflates any (a zip bomb is refused).
LIMITS = Limits(members=200, member_bytes=50 * MIB, total_bytes=100 * MIB)
KIND_WORDS = {
    "text": gettext_lazy("文字"),
    "long_text": gettext_lazy("长文本（可换行）"),
    "integer": gettext_lazy("整数"),
    "decimal": gettext_lazy("数值"),
    "percentage": gettext_lazy("百分比（填写数字，如60表示60%）"),
    "date": gettext_lazy("日期，如2021-03-15"),
    "year_month": gettext_lazy("年月，如2019-05"),
    "choice": gettext_lazy("单选"),
    "multi_choice": gettext_lazy("多选（以顿号“、”分隔）"),
    "list": gettext_lazy("多项（每项一行）"),
    "phone": gettext_lazy("手机号码或带区号的固定电话"),
    "address": gettext_lazy("地址"),
    "registration": gettext_lazy("“已注册（注册名称或编号）”或“未注册”"),
    "credit_code": gettext_lazy("统一社会信用代码（18位）"),
    "email": gettext_lazy("电子邮箱"),
}
NOTE_WIDTHS = (28, 50, 10, 40)  # the 填写说明 sheet's columns
VALIDATION_LIST_MAX = 255  # Excel's limit on a list validation's formula


# The template ------------------------------------------------------------------------------------


def template_name(category) -> str:
    return _("%(category)s-批量导入模板.xlsx") % {"category": category.name}


def template_workbook(category) -> bytes:
    fields = list(category.fields.all())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(category.name)
    for index, spec in enumerate(fields, start=1):
        kind = kinds.of(spec)
        cell = sheet.cell(row=1, column=index, value=spec.label)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(kind.excel_width, 40))
        if spec.kind not in {"integer", "decimal", "date", "year_month"}:
            # Typed as text: a phone number keeps its digits, 2019-05 is not made a date.
            for row in range(2, MAX_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        _validation(sheet, kind, spec, letter)
    sheet.freeze_panes = "A2"
    _notes(workbook, category, fields)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validation(sheet, kind, spec, letter):
    """A drop-down where the file lists the only choices; a whole-number check for counts; and
    the column's note as the cell's input message."""
    where = f"{letter}2:{letter}{MAX_ROWS + 1}"
    choices = kind.options.get("choices") or []
    validation = None
    if spec.kind == "choice" and choices and not kind.options.get("allow_other"):
        formula = '"' + ",".join(choices) + '"'
        if len(formula) <= VALIDATION_LIST_MAX and not any("," in c for c in choices):
            validation = DataValidation(type="list", formula1=formula, allow_blank=True)
            validation.error = _("请从下拉列表中选择：%(choices)s") % {
                "choices": "、".join(choices)
            }
    elif spec.kind == "integer":
        validation = DataValidation(
            type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True
        )
        validation.error = _("请填写不小于0的整数。")
    if validation is None:
        validation = DataValidation(allow_blank=True)
    else:
        validation.showErrorMessage = True
        validation.errorTitle = spec.label[:32]
    validation.showInputMessage = True
    validation.promptTitle = spec.label[:32]
    validation.prompt = _hint(kind, spec)[:255]
    validation.add(where)
    sheet.add_data_validation(validation)


def _hint(kind, spec) -> str:
    words = [str(KIND_WORDS.get(spec.kind, ""))]
    choices = kind.options.get("choices")
    if choices:
        words.append(_("可选：%(choices)s") % {"choices": "、".join(choices)})
    if getattr(kind, "levels", None):
        words.append(
            _("各级名称以空格分隔：%(levels)s")
            % {"levels": " ".join(level.label for level in kind.levels)}
        )
    if getattr(kind, "columns", None):
        words[0] = ""  # the rows' note says it
        words.append(
            _("每项一行，各栏以“|”分隔：%(labels)s")
            % {"labels": "|".join(c.field.label for c in kind.columns)}
        )
    help_text = spec.help_text
    if help_text and words[0] and _bare(words[0]) in _bare(help_text):
        words[0] = help_text  # the file's help says it already, in its own words
    elif help_text and _bare(help_text) not in _bare(words[0]):
        words.append(help_text)
    return "；".join(word for word in words if word)


def _bare(text) -> str:
    """A text without its punctuation, to see whether two notes say the same."""
    return re.sub(r"[\W_]+", "", str(text))


def _example(kind):
    try:
        return kind.excel_input(kind.clean_value(kind.json_example()))
    except FieldError:
        return ""


def _notes(workbook, category, fields):
    sheet = workbook.create_sheet(str(NOTES))
    lines = [
        (_("本模板用于批量新建“%(category)s”的推荐草稿。") % {"category": category.name},),
        (
            _(
                "在第一张工作表中，从第2行起每行填写一项推荐，不要改动第1行的栏目名称；"
                "上传后系统逐行检查，全部无误后一次性建立草稿（草稿不占名额），"
                "照片和盖章扫描PDF须在各草稿中另行上传。"
            ),
        ),
        (_("每次最多%(most)s行。") % {"most": MAX_ROWS},),
        (),
    ]
    header = (_("栏目"), _("填写要求"), _("是否必填"), _("示例"))
    for line in lines:
        sheet.append(line)
        if line:  # a sentence across the four columns, wrapped
            row = sheet.max_row
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            sheet.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[row].height = 15 * math.ceil(
                _text_width(line[0]) / (sum(NOTE_WIDTHS) - 4)
            )
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for spec in fields:
        kind = kinds.of(spec)
        example = _example(kind)
        sheet.append(
            [
                spec.label,
                _hint(kind, spec),
                _("必填") if spec.required else _("选填"),
                str(example) if example is not None else "",
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # what a person reads, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        lines = max(
            math.ceil(_text_width(cell.value or "") / (width - 2))
            for cell, width in zip(sheet[sheet.max_row], NOTE_WIDTHS, strict=True)
        )
        sheet.row_dimensions[sheet.max_row].height = 15 * max(1, lines)
    for letter, width in zip("ABCD", NOTE_WIDTHS, strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


# Reading a filled one ----------------------------------------------------------------------------


@dataclass
class BatchRow:
    number: int  # the row's number in Excel
    values: dict  # cleaned
    errors: list = field(default_factory=list)  # “第3行“出生年月”：……”
    name: str = ""


@dataclass
class Batch:
    category: object
    rows: list

    @property
    def errors(self) -> list[str]:
        return [error for row in self.rows for error in row.errors]

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.errors


def _refuse_unreadable():
    return Refused(
        _(
            "无法读取该文件：请上传用本系统下载的Excel模板填写的 .xlsx 文件"
            "（不支持 .xls、.csv 等其他格式）。"
        ),
        field="workbook",
    )


def read_workbook(category, upload) -> Batch:
    """The filled template's rows, each cleaned by the category's fields, with every problem.

    ``Refused`` (nothing read) when it is not an .xlsx workbook, too large, or not this
    category's template; a row's problems are in the returned ``Batch``, never raised."""
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise Refused(
            _("文件过大（不超过%(most)s MB）。") % {"most": MAX_BYTES // MIB}, field="workbook"
        )
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Refused(
            _("文件过大（不超过%(most)s MB）。") % {"most": MAX_BYTES // MIB}, field="workbook"
        )
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _refuse_unreadable()
    try:
        open_archive(io.BytesIO(data), noun=_("Excel文件"), limits=LIMITS).close()
    except Refused as error:
        raise Refused(error.message, field="workbook") from None
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (
        InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError,
        ParseError,  # XML the parser refuses (defusedxml's refusals are ValueErrors)
    ):  # fmt: skip
        raise _refuse_unreadable() from None
    try:
        return _read(category, workbook)
    finally:
        workbook.close()


def _read(category, workbook) -> Batch:
    sheet = workbook.worksheets[0]
    fields = list(category.fields.all())
    by_label = {" ".join(spec.label.split()): spec for spec in fields}
    header = next(sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS + 1), None)
    columns = {}  # column index → FieldSpec
    unknown = []
    for index, cell in enumerate(header or ()):
        label = " ".join(str(cell.value).split()) if cell.value is not None else ""
        if not label:
            continue
        if index >= MAX_COLUMNS:
            raise Refused(
                _("栏目过多（不超过%(most)s栏）。") % {"most": MAX_COLUMNS}, field="workbook"
            )
        spec = by_label.get(label)
        if spec is None:
            unknown.append(label)
        elif spec in columns.values():
            raise Refused(_("栏目“%(label)s”出现了两次。") % {"label": label}, field="workbook")
        else:
            columns[index] = spec
    if not columns:
        raise Refused(
            _("第1行没有“%(category)s”的栏目名称：请使用该类别的批量导入模板。")
            % {"category": category.name},
            field="workbook",
        )
    if unknown:
        raise Refused(
            _(
                "第1行的栏目“%(labels)s”不是“%(category)s”的栏目：请使用该类别的批量导入模板，不要改动栏目名称。"
            )
            % {"labels": "、".join(unknown), "category": category.name},
            field="workbook",
        )
    found = []
    for number, cells in enumerate(sheet.iter_rows(min_row=2, max_col=MAX_COLUMNS + 1), start=2):
        if all(cell.value is None or str(cell.value).strip() == "" for cell in cells):
            continue
        if len(found) >= MAX_ROWS:
            raise Refused(
                _("行数过多：每次最多导入%(most)s行，请分成几个文件上传。") % {"most": MAX_ROWS},
                field="workbook",
            )
        found.append(_row(category, columns, number, cells))
    if not found:
        raise Refused(_("模板中没有填写任何一行（从第2行起填写）。"), field="workbook")
    return Batch(category, found)


def _row(category, columns, number, cells) -> BatchRow:
    raw, problems = {}, {}
    for index, spec in columns.items():
        cell = cells[index] if index < len(cells) else None
        value = getattr(cell, "value", None)
        if value is None:
            continue
        kind = kinds.of(spec)
        try:
            raw[spec.key] = kind.from_excel(value, getattr(cell, "number_format", None))
        except FieldError as error:
            problems[spec.key] = kind.named(error)
    values, errors = kinds.clean_values(category.fields.all(), raw)
    errors = {**errors, **problems}
    row = BatchRow(number=number, values=values)
    for spec in category.fields.all():
        if spec.key in errors:
            row.errors.append(
                _("第%(row)s行%(error)s") % {"row": number, "error": errors[spec.key]}
            )
    row.name = checks.name_of(category, values)
    return row
