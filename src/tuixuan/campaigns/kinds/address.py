"""Addresses: one line, or the parts the campaign file names (the notice's 省、市、县、乡镇、村 …).

The notice prints a service point's name as a template,
“___省（区、市）___市___县（区）___街道（乡镇）___社区（村）”: a blank before each level's word, the
other words that level allows in brackets. A part labelled with one of those words (``ENDINGS``)
is stored as that level's full name, its ending included (“南宁市”, “武鸣区”), so the joined name
reads as the official name and never loses a word: the form asks for the name before the ending
and offers the ending (fixed text, or a choice where the level allows several), an ending typed
anyway is kept once, and a value with no ending where several are allowed is refused rather than
guessed. Parts with other labels are free text.

The one reading of an address: its parts joined in the file's order into one line, as the
public page, the official form, the workbook, file names and the name of a service point show it.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .base import FieldError, Kind, clean_text, excel_text, is_empty
from .levels import ALSO_TYPED, ENDINGS

PART_MAX = 100


@dataclass(frozen=True)
class Level:
    """One part of an address: its key and label from the file, the endings the form offers,
    and the endings it keeps when typed (the offered ones and ``ALSO_TYPED``)."""

    key: str
    label: str
    endings: tuple = ()
    typed_endings: tuple = ()

    @classmethod
    def of(cls, part):
        endings = ENDINGS.get(part["label"], ())
        also = ALSO_TYPED.get(part["label"], ())
        return cls(part["key"], part["label"], endings, endings + also)

    def ending_of(self, text) -> str:
        """The longest allowed ending ``text`` ends with, or ""."""
        found = [ending for ending in self.typed_endings if text.endswith(ending)]
        return max(found, key=len, default="")

    def joined(self, typed, chosen="") -> str:
        """What the form's input and ending posted, as one name: an ending typed in the box is
        kept as typed (never doubled); otherwise the chosen ending, or the only one, is added."""
        text = typed.strip() if isinstance(typed, str) else ""
        if not text or not self.endings or self.ending_of(text):
            return text
        if chosen in self.endings:
            return text + chosen
        return text + self.endings[0] if len(self.endings) == 1 else text

    def split(self, name) -> tuple[str, str]:
        """The name as the form shows it: (what goes in the box, the chosen ending). The ending
        is taken off only when the form offers it and what is left does not end with an allowed
        ending itself (沙市区 stays whole), so posting the two back always gives the same name."""
        ending = self.ending_of(name)
        if ending not in self.endings:  # none, or one kept as typed but not offered (自治州)
            return name, ""
        stem = name[: len(name) - len(ending)]
        if not stem or self.ending_of(stem):
            return name, ending
        return stem, ending

    def clean(self, raw) -> str:
        name = self.joined(clean_text(raw, limit=PART_MAX))
        if not self.endings:
            return name
        ending = self.ending_of(name)
        if ending and name != ending:
            return name
        if ending:
            raise FieldError(
                _("%(level)s一级只有“%(ending)s”，请填写名称。")
                % {"level": self.label, "ending": ending}
            )
        raise FieldError(
            _("%(level)s一级请写明是%(endings)s。")
            % {"level": self.label, "endings": _either(self.endings)}
        )

    def unsure(self, name) -> bool:
        """A stored name this level cannot read (kept from before the template, for the clerk)."""
        return bool(self.endings and name and not self.ending_of(name))


def _either(endings) -> str:
    """“县、区、自治县还是市”: a level's endings (several: one alone is added, never asked)."""
    return _("%(some)s还是%(last)s") % {"some": "、".join(endings[:-1]), "last": endings[-1]}


class Address(Kind):
    value = "address"
    options_read = frozenset({"parts"})
    excel_width = 36

    def __init__(self, field):
        super().__init__(field)
        self.parts = self.options.get("parts", [])
        self.levels = [Level.of(part) for part in self.parts]
        if self.parts:
            self.template_name = "campaigns/kinds/address.html"

    def stored_fault(self, value) -> str:
        """A service point's name kept whole, or a part without its level's word, from before
        the template: the migration could not read it into the five levels."""
        if not self.levels or is_empty(value):
            return ""
        if isinstance(value, dict):
            texts = [value.get(level.key) for level in self.levels]
            if not any(
                level.unsure(text)
                for level, text in zip(self.levels, texts, strict=True)
                if isinstance(text, str)
            ):
                return ""
        return _("尚未按各级填写（原名称未能自动拆分），请在各级分别填写后再提交。")

    def json_example(self):
        """One line, or each part by its key, ending in its level's word as an official name
        does (…省, …市, …县, …街道, …社区: the part's label up to its bracket)."""
        if not self.parts:
            return super().json_example()
        sample = super().json_example()
        return {part["key"]: sample + part["label"].split("（")[0] for part in self.parts}

    def clean(self, raw):
        if not self.levels:
            return clean_text(raw)
        if not isinstance(raw, dict):
            raise FieldError(_("应按各级分别填写。"))
        cleaned = {}
        for level in self.levels:
            value = raw.get(level.key)
            if not is_empty(value):
                cleaned[level.key] = level.clean(value)
        return cleaned or None

    def excel_input(self, value):
        """The parts with a space between them, in the file's order (so each can be read back)."""
        if self.levels and isinstance(value, dict):
            return " ".join(value.get(level.key, "") for level in self.levels)
        return self.text(value)

    def from_excel(self, cell, number_format=None):
        """One line; with parts, each level's name in order, separated by spaces (or /)."""
        text = excel_text(cell)
        if not self.levels or not isinstance(text, str) or not text.strip():
            return text
        names = [name for name in re.split(r"[\s/／|｜]+", text.strip()) if name]
        if len(names) != len(self.levels):
            raise FieldError(
                _("请按“%(levels)s”的顺序填写%(count)s级名称，以空格分隔。")
                % {
                    "levels": " ".join(level.label for level in self.levels),
                    "count": len(self.levels),
                }
            )
        return {level.key: name for level, name in zip(self.levels, names, strict=True)}

    def show(self, value) -> str:
        """The parts joined in the file's order; a one-line value kept from before the parts
        (see the nominations' migration 0006) as it was."""
        if isinstance(value, dict):
            return "".join(value.get(level.key, "") for level in self.levels)
        return str(value)

    def label_for(self) -> bool:
        return not self.parts

    def raw_from(self, data, name):
        if not self.levels:
            return data.get(name, "")
        return {
            level.key: level.joined(
                data.get(f"{name}__{level.key}", ""), data.get(f"{name}__{level.key}__ending", "")
            )
            for level in self.levels
        }

    def widget_context(self, name, value) -> dict:
        context = super().widget_context(name, value)
        if not self.levels:
            return context
        stored = value if isinstance(value, dict) else {}
        context["unread"] = value if value and isinstance(value, str) else ""
        context["parts"] = []
        for level in self.levels:
            text = stored.get(level.key, "")
            text = text if isinstance(text, str) else ""
            typed, ending = level.split(text)
            context["parts"].append(
                {
                    "name": f"{name}__{level.key}",
                    "label": level.label,
                    "value": typed,
                    "endings": level.endings,
                    "typed_endings": level.typed_endings,
                    "ending": ending,
                    "unsure": level.unsure(text),
                }
            )
        context["unsure"] = [part["label"] for part in context["parts"] if part["unsure"]]
        context["full"] = self.show(stored) if stored else ""
        return context
