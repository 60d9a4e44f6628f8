"""Choices from the campaign file's list (单选, 多选), with free text where it allows others."""

from django.utils.translation import gettext as _

from tuixuan.common.text import normalise_name

from .base import FieldError, Kind, clean_text
from .lists import split_items


class Choice(Kind):
    value = "choice"
    options_read = frozenset({"choices", "allow_other"})
    template_name = "campaigns/kinds/choice.html"

    def json_example(self):
        return next(iter(self.options.get("choices", [])), super().json_example())

    def clean(self, raw):
        text = clean_text(raw)
        choices = self.options.get("choices", [])
        if text in choices or self.options.get("allow_other"):
            return text
        raise FieldError(_("应从以下选项中选择：%(choices)s。") % {"choices": "、".join(choices)})

    def raw_from(self, data, name):
        other = data.get(f"{name}__other", "") if self.options.get("allow_other") else ""
        return other if other.strip() else data.get(name, "")

    def widget_context(self, name, value) -> dict:
        chosen = value if isinstance(value, list) else ([value] if value else [])
        listed = self.options.get("choices", [])
        return {
            **super().widget_context(name, value),
            "choices": [{"value": c, "checked": c in chosen} for c in listed],
            "other": "、".join(c for c in chosen if c not in listed),
            "allow_other": self.options.get("allow_other", False),
        }


class MultiChoice(Choice):
    value = "multi_choice"
    traits = frozenset({"countable"})
    excel_width = 30
    template_name = "campaigns/kinds/multi_choice.html"

    def json_example(self):
        return self.options.get("choices", [])[:2] or [super().json_example()]

    def clean(self, raw):
        chosen = []
        for item in split_items(raw):
            text = super().clean(item)
            if text not in chosen:
                chosen.append(text)
        return chosen

    def show(self, value) -> str:
        return "、".join(value)

    def counted(self, value) -> list:
        """What a "min_count" rule counts: the answers, the same answer typed twice once."""
        return list(dict.fromkeys(normalise_name(item) for item in value))

    def label_for(self) -> bool:
        return False

    def raw_from(self, data, name):
        other = data.get(f"{name}__other", "")
        return list(data.getlist(name)) + ([other] if other.strip() else [])
