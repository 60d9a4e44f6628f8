"""What every field kind is: the base class each kind module subclasses, and its plain helpers.

A kind is bound to one field (its key, label and options from the campaign file) and answers
everything the system asks of a value of that field: is it empty, what is its clean form, how the
unit's form draws it and reads it back from a post, how the official form, the one-line name and
the summary workbook show it. Subclassing registers the kind under its ``value`` (the stored
``FieldSpec.kind``), so adding a kind is one module in this package.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext as _

from tuixuan.common.exceptions import FieldError
from tuixuan.common.phrases import named

REGISTRY: dict[str, type["Kind"]] = {}

TEXT_MAX = 500  # a name, title or one line of an address
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FieldDef:
    """What a kind needs to know of its field: plain data, from a FieldSpec or a list item."""

    key: str
    label: str
    kind: str
    required: bool = True
    options: dict | None = None

    @classmethod
    def of(cls, spec):
        return cls(spec.key, spec.label, spec.kind, spec.required, spec.options or {})


@dataclass(frozen=True)
class ExcelCell:
    """A value as the summary workbook holds it: a number or date with its number format, or a
    text (written as text whatever it looks like, wrapped when long)."""

    value: Any
    number_format: str | None = None
    text: bool = False
    wrap: bool = False


def is_empty(raw) -> bool:
    """Nothing typed: blank text, or a list or parts all blank. Numbers and booleans (a
    registration answered "否") are values."""
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw.strip()
    if isinstance(raw, list | tuple):
        return all(is_empty(item) for item in raw)
    if isinstance(raw, dict):
        return all(is_empty(item) for item in raw.values())
    return False


def clean_text(raw, limit=TEXT_MAX, multiline=False) -> str:
    """Typed text, one line (or several, for a long text), without control characters."""
    if not isinstance(raw, str | int) or isinstance(raw, bool):
        raise FieldError(_("应填写文字。"))
    text = str(raw).replace("\r\n", "\n").replace("\r", "\n")
    if _CONTROL.search(text):
        raise FieldError(_("含有无法识别的控制字符，请删除后重新填写。"))
    text = text.strip() if multiline else " ".join(text.split())
    if len(text) > limit:
        raise FieldError(_("内容过长（不超过%(most)s个字符）。") % {"most": limit})
    return text


def excel_plain(cell):
    """A cell's value as plain data: whole floats as integers, midnight datetimes as dates."""
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, datetime):
        return cell.date() if cell.time() == datetime.min.time() else cell.isoformat(" ")
    return cell


def excel_text(cell):
    """A cell read as text, whatever Excel made of it (a number, a date)."""
    cell = excel_plain(cell)
    if isinstance(cell, date):
        return cell.isoformat()
    return cell if isinstance(cell, str) or cell is None else str(cell)


class Kind:
    """One kind of field. Subclasses set ``value`` and override what differs from plain text."""

    value: ClassVar[str] = ""
    # What the rule engine may check of it: "numeric", "dated", "textual", "countable",
    # "registration" (see campaigns/checks.py); every kind can be "required".
    traits: ClassVar[frozenset] = frozenset()
    # The campaign file's options this kind reads (the loader refuses them on other kinds).
    options_read: ClassVar[frozenset] = frozenset()
    may_be_list_item: ClassVar[bool] = False  # a column of a list's rows (a team's name, phone)
    # A way to reach a person (phone, e-mail): never on a public page, whatever the file says.
    personal: ClassVar[bool] = False
    long: ClassVar[bool] = False  # a row of its own on the Word form, a story on the public page
    excel_width: ClassVar[int] = 14
    excel_wrap: ClassVar[bool] = False
    template_name: ClassVar[str] = "campaigns/kinds/input.html"
    input_attrs: ClassVar[dict] = {}  # inputmode, placeholder … of the one-line input

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "value" in cls.__dict__:
            REGISTRY[cls.value] = cls

    def __init__(self, field: FieldDef):
        self.field = field
        self.options = field.options or {}

    # Cleaning -----------------------------------------------------------------------------

    def clean_value(self, raw):
        """The clean stored value, or None when nothing was typed (a draft may be incomplete)."""
        return None if self.is_empty(raw) else self.clean(raw)

    def clean(self, raw):
        """A value that is not empty, cleaned; FieldError (Chinese, naming no value) if bad."""
        return clean_text(raw)

    def is_empty(self, raw) -> bool:
        return is_empty(raw)

    def json_example(self):
        """A value as the API takes it (and the campaign's schema shows it): already clean, so
        cleaning it changes nothing."""
        return _("示例文字")

    def stored_fault(self, value) -> str:
        """Why a value stored before this kind took its present shape cannot be handed in as it
        is ("" when it can): a migration keeps what it could not read, for the clerk to mend,
        and the rule report holds it back from 提交 (``nominations.reports``)."""
        return ""

    def named(self, error: FieldError) -> str:
        """The error as the unit reads it beside the field: “label”：why."""
        return named(self.field.label, error)

    # Showing ------------------------------------------------------------------------------

    def text(self, value) -> str:
        """The value as a reader of the official form expects it (Word, PDF, public page)."""
        if value is None or value == "" or value == []:
            return ""
        return self.show(value)

    def show(self, value) -> str:
        return str(value)

    def line(self, value) -> str:
        """The value as one line of text: a candidate's name, a service point's address."""
        return " ".join(self.text(value).splitlines())

    def excel(self, value) -> ExcelCell | None:
        """The value's cell in the summary workbook (None: an empty cell)."""
        if value is None or value == "":
            return None
        return ExcelCell(self.text(value), text=True, wrap=self.excel_wrap)

    # The batch-import workbook ----------------------------------------------------------

    def excel_input(self, value):
        """A clean value as a person types it into the batch-import template (its example row);
        ``from_excel`` reads it back to the same value."""
        return self.text(value)

    def from_excel(self, cell, number_format=None):
        """What a cell of the batch-import template holds, as the raw value ``clean`` takes:
        Excel's numbers, dates and text as they are, a whole float as an integer (13807710001.0
        is a phone number), a date without a time as a date. A text starting with "=" is text."""
        return excel_text(cell)

    # The unit's form ----------------------------------------------------------------------

    def label_for(self) -> bool:
        """True when one input takes the label (``<label for>``); False for a group of inputs."""
        return True

    def raw_from(self, data, name):
        """The raw value as the unit's form posted it under ``name`` (a QueryDict)."""
        return data.get(name, "")

    def widget_context(self, name, value) -> dict:
        """What this kind's template draws: the stored or just-posted value under ``name``."""
        return {
            "name": name,
            "value": "" if value is None else value,
            "input_attrs": self.input_attrs,
            "max_chars": self.options.get("max_chars"),
        }

    def cell_context(self, name, value) -> dict:
        """What a list's row draws for this kind in one of its columns."""
        return {"name": name, "value": "" if value is None else value, "label": self.field.label}

    def cell_text(self, value) -> str:
        """The value in one column of a list's row on the official form."""
        return self.text(value)

    def form_field(self) -> "KindField":
        return KindField(self)


class KindWidget(forms.Widget):
    """The widget of one field: its kind's template, and its kind's reading of the post."""

    def __init__(self, kind: Kind):
        super().__init__()
        self.kind = kind
        self.template_name = kind.template_name

    def get_context(self, name, value, attrs):
        """The kind's context, with the ARIA marks the form asks for (an invalid field's
        ``aria-invalid`` and ``aria-describedby``); the kind's template writes its own id."""
        aria = {key: text for key, text in (attrs or {}).items() if key.startswith("aria-")}
        return {"widget": {**self.kind.widget_context(name, value), "aria": aria}}

    def value_from_datadict(self, data, files, name):
        return self.kind.raw_from(data, name)

    def value_omitted_from_data(self, data, files, name):
        return False


class KindField(forms.Field):
    """A form field whose cleaning is its kind's (the same cleaning the services and the API
    use), with the error naming the field as the services name it."""

    def __init__(self, kind: Kind):
        super().__init__(required=False, label=kind.field.label, widget=KindWidget(kind))
        self.kind = kind

    def clean(self, value):
        try:
            return self.kind.clean_value(value)
        except FieldError as error:
            raise forms.ValidationError(self.kind.named(error)) from None
