"""Dates (2021-03-15) and year-months (2019-05), typed with 年月日, slashes or dots."""

import re
import unicodedata
from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import ExcelCell, FieldError, Kind, excel_plain

YEAR_RANGE = (1900, 2100)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def parse_date(value: str) -> date:
    """A stored date or year-month as a date; a year-month means the first day of that month."""
    if len(value) == 7:
        return date(int(value[:4]), int(value[5:7]), 1)
    return date.fromisoformat(value)


def _check_year(year):
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise FieldError(_("年份应在%(low)s到%(high)s之间。") % {"low": low, "high": high})


class Date(Kind):
    value = "date"
    traits = frozenset({"dated"})
    input_attrs = {"placeholder": gettext_lazy("如 2021-03-15")}
    number_format = 'yyyy"年"m"月"d"日"'

    def json_example(self):
        return "2021-03-15"

    def clean(self, raw):
        if isinstance(raw, date):
            raw = raw.isoformat()
        if not isinstance(raw, str):
            raise FieldError(_("应填写日期，如2021-03-15。"))
        match = _DATE.match(unicodedata.normalize("NFKC", raw).strip())
        if not match:
            raise FieldError(_("应填写日期，如2021-03-15。"))
        year, month, day = (int(part) for part in match.groups())
        _check_year(year)
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            raise FieldError(_("不是有效的日期。")) from None

    def from_excel(self, cell, number_format=None):
        return excel_plain(cell)

    def show(self, value) -> str:
        day = parse_date(value)
        return f"{day.year}年{day.month}月{day.day}日"

    def excel(self, value):
        if value is None or value == "":
            return None
        return ExcelCell(parse_date(value), number_format=self.number_format)


class YearMonth(Date):
    value = "year_month"
    input_attrs = {"placeholder": gettext_lazy("如 2019-05")}
    number_format = 'yyyy"年"m"月"'

    def json_example(self):
        return "2021-03"

    def clean(self, raw):
        if isinstance(raw, date):
            raw = f"{raw.year}-{raw.month}"
        if not isinstance(raw, str):
            raise FieldError(_("应填写年月，如2021-03。"))
        text = unicodedata.normalize("NFKC", raw).strip()
        match = _YEAR_MONTH.match(text) or _DATE.match(text)
        if not match:
            raise FieldError(_("应填写年月，如2021-03。"))
        year, month = int(match.group(1)), int(match.group(2))
        _check_year(year)
        if not 1 <= month <= 12:
            raise FieldError(_("月份应在1到12之间。"))
        return f"{year:04d}-{month:02d}"

    def show(self, value) -> str:
        month = parse_date(value)
        return f"{month.year}年{month.month}月"
