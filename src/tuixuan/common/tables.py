"""Reading the spreadsheets organisers actually have: CSV (UTF-8 or GB18030, as Excel saves it
on Chinese Windows) or XLSX, first row the header, Chinese or English column names.

A file that cannot be read as a table, or rows that are wrong, are ``Refused`` (every problem, one
a line, with its row number); nothing is imported."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from openpyxl import load_workbook

from .exceptions import Refused


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0


def read_rows(path, columns: dict[str, tuple[str, ...]]) -> list[tuple[int, dict]]:
    """Rows as (spreadsheet row number, {column key: text}); blank rows are skipped.

    ``columns`` maps each key to the header names accepted for it, e.g.
    ``{"name": ("单位名称", "name")}``. A missing required header is the caller's concern.
    """
    path = Path(path)
    raw_rows = _raw_rows(path)
    if not raw_rows:
        raise Refused(f"{path.name}：文件为空")
    header = [_cell(value) for value in raw_rows[0]]
    index = {}
    for key, names in columns.items():
        for position, title in enumerate(header):
            if title in names:
                index[key] = position
                break
    rows = []
    for number, raw in enumerate(raw_rows[1:], start=2):
        cells = [_cell(value) for value in raw]
        if not any(cells):
            continue
        rows.append(
            (number, {key: cells[pos] if pos < len(cells) else "" for key, pos in index.items()})
        )
    return rows


def missing_columns(path, columns, required) -> list[str]:
    """The names of required columns that the header lacks (first accepted name of each)."""
    rows = _raw_rows(Path(path))
    header = {_cell(value) for value in rows[0]} if rows else set()
    return [columns[key][0] for key in required if not header & set(columns[key])]


def _raw_rows(path: Path) -> list[list]:
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise Refused(f"{path.name}：只支持 .csv 或 .xlsx 文件")
    if not path.is_file():
        raise Refused(f"{path}：文件不存在")
    return _csv_rows(path) if suffix == ".csv" else _xlsx_rows(path)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def _csv_rows(path) -> list[list]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text)))
    raise Refused(f"{path.name}：无法识别文件编码，请另存为 UTF-8 编码的 CSV 或 XLSX")


def _xlsx_rows(path) -> list[list]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise Refused(f"{path.name}：不是有效的 XLSX 文件（{type(error).__name__}）") from None
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    finally:
        workbook.close()
