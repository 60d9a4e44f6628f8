"""Addresses: one line, or the parts the campaign file names (市, 县, 乡镇, 村/社区 …).

The one reading of an address: its parts joined in the file's order into one line, as the
public page, the official form, the workbook and the name of a service point show it.
"""

from django.utils.translation import gettext as _

from .base import FieldError, Kind, clean_text, is_empty

PART_MAX = 100


class Address(Kind):
    value = "address"
    options_read = frozenset({"parts"})
    excel_width = 36

    def __init__(self, field):
        super().__init__(field)
        self.parts = self.options.get("parts", [])
        if self.parts:
            self.template_name = "campaigns/kinds/address.html"

    def json_example(self):
        """One line, or each part by its key, ending in its level's word as an official name
        does (…省, …市, …县, …街道, …社区: the part's label up to its bracket)."""
        if not self.parts:
            return super().json_example()
        sample = super().json_example()
        return {part["key"]: sample + part["label"].split("（")[0] for part in self.parts}

    def clean(self, raw):
        if not self.parts:
            return clean_text(raw)
        if not isinstance(raw, dict):
            raise FieldError(_("应按各级分别填写。"))
        cleaned = {}
        for part in self.parts:
            value = raw.get(part["key"])
            if not is_empty(value):
                cleaned[part["key"]] = clean_text(value, limit=PART_MAX)
        return cleaned or None

    def show(self, value) -> str:
        if isinstance(value, dict):
            return "".join(value.get(part["key"], "") for part in self.parts)
        return str(value)

    def label_for(self) -> bool:
        return not self.parts

    def raw_from(self, data, name):
        if not self.parts:
            return data.get(name, "")
        return {part["key"]: data.get(f"{name}__{part['key']}", "") for part in self.parts}

    def widget_context(self, name, value) -> dict:
        context = super().widget_context(name, value)
        if self.parts:
            value = value if isinstance(value, dict) else {}
            context["parts"] = [
                {**part, "name": f"{name}__{part['key']}", "value": value.get(part["key"], "")}
                for part in self.parts
            ]
        return context
