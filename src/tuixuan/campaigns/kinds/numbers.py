"""Numbers: counts (整数), amounts (数值) and percentages, typed with full-width digits too."""

import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import ExcelCell, FieldError, Kind, excel_plain

INTEGER_MAX = 10**9
DECIMAL_INPUT = {"inputmode": "decimal"}


def number(raw) -> Decimal:
    if isinstance(raw, bool):
        raise FieldError(_("应填写数字。"))
    if isinstance(raw, int | float | Decimal):
        text = str(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    else:
        raise FieldError(_("应填写数字。"))
    try:
        found = Decimal(text)
    except InvalidOperation:
        raise FieldError(_("应填写数字。")) from None
    if not found.is_finite():
        raise FieldError(_("应填写数字。"))
    return found


def _within_bounds(found: Decimal) -> Decimal:
    if found < 0:
        raise FieldError(_("不能为负数。"))
    if found > INTEGER_MAX:
        raise FieldError(_("数值过大。"))
    return found


def decimal_text(found: Decimal) -> str:
    """A number as stored and shown: no exponent, no trailing zeros (60.50 → 60.5)."""
    return format(found.normalize(), "f")


class Integer(Kind):
    value = "integer"
    traits = frozenset({"numeric"})
    may_be_list_item = True
    input_attrs = DECIMAL_INPUT

    def json_example(self):
        return 20

    def clean(self, raw):
        found = number(raw)
        if found != found.to_integral_value():
            raise FieldError(_("应填写整数。"))
        return int(_within_bounds(found))

    def from_excel(self, cell, number_format=None):
        return excel_plain(cell)

    def excel(self, value):
        return None if value is None or value == "" else ExcelCell(value)


class DecimalNumber(Kind):
    value = "decimal"
    traits = frozenset({"numeric"})
    input_attrs = DECIMAL_INPUT

    def json_example(self):
        return "12.5"

    def clean(self, raw):
        return decimal_text(_within_bounds(number(raw)))

    def from_excel(self, cell, number_format=None):
        return excel_plain(cell)

    def excel(self, value):
        return None if value is None or value == "" else ExcelCell(float(Decimal(value)))


class Percentage(Kind):
    value = "percentage"
    traits = frozenset({"numeric"})
    input_attrs = {**DECIMAL_INPUT, "placeholder": gettext_lazy("如 60 表示 60%")}

    def json_example(self):
        return "60"

    def clean(self, raw):
        if isinstance(raw, str):
            raw = unicodedata.normalize("NFKC", raw).strip().removesuffix("%").strip()
        found = number(raw)
        if not 0 <= found <= 100:
            raise FieldError(_("百分比应在0到100之间（填写数字，如60表示60%）。"))
        return decimal_text(found)

    def from_excel(self, cell, number_format=None):
        """A number Excel shows as a percentage (60% is stored as 0.6) is that percentage."""
        cell = excel_plain(cell)
        numeric = isinstance(cell, int | float) and not isinstance(cell, bool)
        if numeric and "%" in (number_format or ""):
            return decimal_text(Decimal(str(cell)) * 100)
        return cell

    def show(self, value) -> str:
        return f"{value}%"

    def excel(self, value):
        if value is None or value == "":
            return None
        return ExcelCell(float(Decimal(value) / 100), number_format="0.0%")
