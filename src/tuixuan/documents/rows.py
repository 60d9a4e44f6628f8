"""A nomination as the rows of its official form: label on the left, value on the right.

The Word form, the PDF, the summary workbook and the forwarding package all read these rows, so a
value looks the same wherever it appears. Field order and labels come from the campaign file.
"""

import io
from dataclasses import dataclass
from datetime import date

from PIL import Image

from tuixuan.campaigns.fields import parse_date
from tuixuan.campaigns.models import FieldKind
from tuixuan.nominations.files import form_copy_bytes


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    text: str
    long: bool = False  # a long text gets a row of its own, across the whole table
    personal: bool = False


def form_rows(nomination, fields=None) -> list[Row]:
    fields = fields if fields is not None else nomination.category.fields.all()
    values = nomination.values or {}
    return [
        Row(
            spec.key,
            spec.label,
            display(spec.kind, spec.options or {}, values.get(spec.key)),
            long=spec.kind == FieldKind.LONG_TEXT,
            personal=spec.personal,
        )
        for spec in fields
    ]


def display(kind, options, value) -> str:
    """A stored value as the text a reader of the official form expects."""
    if value is None or value == "" or value == []:
        return ""
    if kind == FieldKind.PERCENTAGE:
        return f"{value}%"
    if kind == FieldKind.DATE:
        day = date.fromisoformat(value)
        return f"{day.year}年{day.month}月{day.day}日"
    if kind == FieldKind.YEAR_MONTH:
        month = parse_date(value)
        return f"{month.year}年{month.month}月"
    if kind == FieldKind.REGISTRATION:
        return registration_text(value)
    if kind == FieldKind.ADDRESS and isinstance(value, dict):
        return "".join(value.get(part["key"], "") for part in options.get("parts", []))
    if kind == FieldKind.MULTI_CHOICE:
        return "、".join(value)
    if kind == FieldKind.LIST:
        return _list_text(options, value)
    return str(value)


def registration_text(value) -> str:
    if not value.get("registered"):
        return "未注册"
    number = value.get("number")
    return f"已注册（{number}）" if number else "已注册"


def _list_text(options, value) -> str:
    items = options.get("items")
    if not items:
        return "\n".join(f"{n}. {item}" for n, item in enumerate(value, start=1))
    lines = []
    for n, row in enumerate(value, start=1):
        parts = []
        for item in items:
            text = display(item["kind"], {}, row.get(item["key"]))
            if text and item["kind"] == FieldKind.REGISTRATION:
                text = f"“大美志愿”{text}"
            if text:
                parts.append(text)
        lines.append(f"{n}. " + " · ".join(parts))
    return "\n".join(lines)


def signature_lines(nomination) -> tuple[str, str]:
    """The form's closing lines: the unit (to be stamped) and the date line."""
    return f"推荐单位：{nomination.unit.name}（盖章）", "年    月    日"


@dataclass(frozen=True)
class Picture:
    data: bytes
    content_type: str
    width: int
    height: int


def form_picture(photo) -> Picture:
    """A photo as the forms show it: its smaller upright copy, or the original if none can be made.

    The original (1–3 MB by the notice's rule) travels beside the form in the package; embedding
    it again in every Word form doubled a package's size and the time to write it.
    """
    data, content_type = form_copy_bytes(photo), "image/jpeg"
    if data is None:
        with photo.file.open("rb") as source:
            data, content_type = source.read(), photo.content_type or "image/jpeg"
    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except (OSError, ValueError):
        width, height = photo.width, photo.height
    return Picture(data, content_type, width, height)
