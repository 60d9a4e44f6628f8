"""Field kinds: how a value typed into a form (or sent by the API) becomes a clean stored value.

A draft may be incomplete, so an empty value is simply absent; but a value that is present must be
of its kind, or the unit is told which field is wrong and why. The rule engine (``checks.py``) then
reads only clean values.
"""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from .models import FieldKind

TEXT_MAX = 500  # a name, title or one line of an address
LONG_TEXT_MAX = 20000  # far above any 字 limit: the rule, not the field, says what is too long
LIST_MAX_ITEMS = 200
INTEGER_MAX = 10**9
YEAR_RANGE = (1900, 2100)


class FieldError(ValueError):
    """A value that is not of its field's kind. The message is Chinese and names no value."""


@dataclass(frozen=True)
class FieldDef:
    """What a cleaner needs to know of a field: plain data, from a FieldSpec or a list item."""

    key: str
    label: str
    kind: str
    required: bool = True
    options: dict | None = None

    @classmethod
    def of(cls, spec):
        return cls(spec.key, spec.label, spec.kind, spec.required, spec.options or {})


def clean_values(fields, raw: dict) -> tuple[dict, dict[str, str]]:
    """Clean every field's value; returns (values, errors by field key).

    Keys in ``raw`` that are not fields of the category are ignored, never stored.
    """
    values, errors = {}, {}
    for field in fields:
        field = field if isinstance(field, FieldDef) else FieldDef.of(field)
        try:
            value = clean_value(field, raw.get(field.key))
        except FieldError as error:
            errors[field.key] = f"“{field.label}”：{error}"
        else:
            if value is not None:
                values[field.key] = value
    return values, errors


def clean_value(field: FieldDef, raw):
    if _is_empty(raw):
        return None
    return _CLEANERS[field.kind](field, raw)


def is_filled(value) -> bool:
    return not _is_empty(value)


def _is_empty(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return all(_is_empty(item) for item in raw)
    if isinstance(raw, dict):
        return all(_is_empty(item) for item in raw.values())
    return False  # numbers and booleans (a registration answered "否") are values


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _text(field, raw, limit=TEXT_MAX, multiline=False):
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise FieldError("应填写文字。")
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        raise FieldError("含有无法识别的控制字符，请删除后重新填写。")
    text = text.strip() if multiline else " ".join(text.split())
    if len(text) > limit:
        raise FieldError(f"内容过长（不超过{limit}个字符）。")
    return text


def _long_text(field, raw):
    return _text(field, raw, limit=LONG_TEXT_MAX, multiline=True)


def _number(raw) -> Decimal:
    if isinstance(raw, bool):
        raise FieldError("应填写数字。")
    if isinstance(raw, int | float | Decimal):
        text = str(raw)
    elif isinstance(raw, str):
        text = unicodedata.normalize("NFKC", raw).strip().replace(",", "")
    else:
        raise FieldError("应填写数字。")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise FieldError("应填写数字。") from None
    if not number.is_finite():
        raise FieldError("应填写数字。")
    return number


def _integer(field, raw):
    number = _number(raw)
    if number != number.to_integral_value():
        raise FieldError("应填写整数。")
    if number < 0:
        raise FieldError("不能为负数。")
    if number > INTEGER_MAX:
        raise FieldError("数值过大。")
    return int(number)


def _decimal(field, raw):
    number = _number(raw)
    if number < 0:
        raise FieldError("不能为负数。")
    if number > INTEGER_MAX:
        raise FieldError("数值过大。")
    return _decimal_text(number)


def _percentage(field, raw):
    if isinstance(raw, str):
        raw = unicodedata.normalize("NFKC", raw).strip().removesuffix("%").strip()
    number = _number(raw)
    if not 0 <= number <= 100:
        raise FieldError("百分比应在0到100之间（填写数字，如60表示60%）。")
    return _decimal_text(number)


def _decimal_text(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return text


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_YEAR_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")


def _date(field, raw):
    if isinstance(raw, date):
        raw = raw.isoformat()
    if not isinstance(raw, str):
        raise FieldError("应填写日期，如2021-03-15。")
    match = _DATE.match(unicodedata.normalize("NFKC", raw).strip())
    if not match:
        raise FieldError("应填写日期，如2021-03-15。")
    year, month, day = (int(part) for part in match.groups())
    _check_year(year)
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        raise FieldError("不是有效的日期。") from None


def _year_month(field, raw):
    if isinstance(raw, date):
        raw = f"{raw.year}-{raw.month}"
    if not isinstance(raw, str):
        raise FieldError("应填写年月，如2021-03。")
    text = unicodedata.normalize("NFKC", raw).strip()
    match = _YEAR_MONTH.match(text) or _DATE.match(text)
    if not match:
        raise FieldError("应填写年月，如2021-03。")
    year, month = int(match.group(1)), int(match.group(2))
    _check_year(year)
    if not 1 <= month <= 12:
        raise FieldError("月份应在1到12之间。")
    return f"{year:04d}-{month:02d}"


def _check_year(year):
    low, high = YEAR_RANGE
    if not low <= year <= high:
        raise FieldError(f"年份应在{low}到{high}之间。")


def parse_date(value: str) -> date:
    """A stored date or year-month as a date; a year-month means the first day of that month."""
    if len(value) == 7:
        return date(int(value[:4]), int(value[5:7]), 1)
    return date.fromisoformat(value)


def _choice_of(field, raw):
    text = _text(field, raw)
    choices = field.options.get("choices", [])
    if text in choices or field.options.get("allow_other"):
        return text
    raise FieldError(f"应从以下选项中选择：{'、'.join(choices)}。")


def _choice(field, raw):
    return _choice_of(field, raw)


def _multi_choice(field, raw):
    items = _split(raw)
    chosen = []
    for item in items:
        text = _choice_of(field, item)
        if text not in chosen:
            chosen.append(text)
    return chosen


def _split(raw) -> list:
    """A list from JSON, or from text with one item per line (or separated by 、，;)."""
    if isinstance(raw, str):
        raw = re.split(r"[\n、,，;；]+", raw)
    if not isinstance(raw, list | tuple):
        raise FieldError("应填写一项或多项。")
    items = [item for item in raw if not _is_empty(item)]
    if len(items) > LIST_MAX_ITEMS:
        raise FieldError(f"最多填写{LIST_MAX_ITEMS}项。")
    return items


def _list(field, raw):
    item_fields = [
        FieldDef(**{"required": True, **item}) for item in field.options.get("items", [])
    ]
    if not item_fields:
        return [_text(field, item) for item in _split(raw)]
    if not isinstance(raw, list | tuple):
        raise FieldError("应填写一项或多项。")
    cleaned = []
    for number, item in enumerate(_split(list(raw)), start=1):
        if not isinstance(item, dict):
            raise FieldError(f"第{number}项格式不正确。")
        values, errors = clean_values(item_fields, item)
        if errors:
            raise FieldError(f"第{number}项{next(iter(errors.values()))}")
        cleaned.append(values)
    return cleaned


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")


def _phone(field, raw):
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise FieldError("应填写手机号码或带区号的固定电话。")
    text = unicodedata.normalize("NFKC", str(raw)).strip()
    text = re.sub(r"[\s()（）]", "", text).removeprefix("+86").removeprefix("0086")
    text = text.replace("—", "-").replace("–", "-")
    if _MOBILE.match(text):
        return text
    match = _LANDLINE.match(text)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    raise FieldError("应填写11位手机号码，或带区号的固定电话（如0771-2863980）。")


def _address(field, raw):
    parts = field.options.get("parts", [])
    if not parts:
        return _text(field, raw)
    if not isinstance(raw, dict):
        raise FieldError("应按各级分别填写。")
    cleaned = {}
    for part in parts:
        value = raw.get(part["key"])
        if not _is_empty(value):
            cleaned[part["key"]] = _text(field, value, limit=100)
    return cleaned or None


_YES = {True, "true", "1", "yes", "on", "是", "已注册"}
_NO = {False, "false", "0", "no", "off", "否", "未注册", ""}


def _registration(field, raw):
    if isinstance(raw, bool | str):
        raw = {"registered": raw}
    if not isinstance(raw, dict):
        raise FieldError("应说明是否已注册，并填写注册名称或编号。")
    registered = yes_or_no(raw.get("registered", False))
    if registered is None:
        raise FieldError("应选择“是”或“否”。")
    number = raw.get("number")
    number = "" if _is_empty(number) else _text(field, number, limit=100)
    return {"registered": registered, "number": number}


def yes_or_no(answer) -> bool | None:
    """A yes/no answer as typed or posted (是/否, true/false, on …); None when it is neither."""
    answer = answer.strip().lower() if isinstance(answer, str) else answer
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    return None


_CLEANERS = {
    FieldKind.TEXT: _text,
    FieldKind.LONG_TEXT: _long_text,
    FieldKind.INTEGER: _integer,
    FieldKind.DECIMAL: _decimal,
    FieldKind.PERCENTAGE: _percentage,
    FieldKind.DATE: _date,
    FieldKind.YEAR_MONTH: _year_month,
    FieldKind.CHOICE: _choice,
    FieldKind.MULTI_CHOICE: _multi_choice,
    FieldKind.LIST: _list,
    FieldKind.PHONE: _phone,
    FieldKind.ADDRESS: _address,
    FieldKind.REGISTRATION: _registration,
}


def display_name(field: FieldDef, value) -> str:
    """The value as one line of text: a candidate's name, or a service point's full address."""
    if value is None:
        return ""
    if field.kind == FieldKind.ADDRESS and isinstance(value, dict):
        return "".join(value.get(part["key"], "") for part in field.options.get("parts", []))
    if isinstance(value, list):
        return "、".join(str(item) for item in value)
    return str(value)
