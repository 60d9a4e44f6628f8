"""A nomination as the rows of its official form: label on the left, value on the right.

The Word form, the PDF, the summary workbook and the forwarding package all read these rows, so a
value looks the same wherever it appears. Field order and labels come from the campaign file.
"""

import io
from dataclasses import dataclass

from PIL import Image

from tuixuan.campaigns import kinds
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
    rows = []
    for spec in fields:
        kind = kinds.of(spec)  # the kind says how a reader of the official form sees the value
        text = kind.text(values.get(spec.key))
        rows.append(
            Row(spec.key, spec.label, text, long=kind.long, personal=spec.personal or kind.personal)
        )
    return rows


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
