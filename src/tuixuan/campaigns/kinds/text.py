"""Text: one line (a name, a title), or a long text (事迹) that the notice limits in 字."""

from .base import Kind, clean_text

LONG_TEXT_MAX = 20000  # far above any 字 limit: the rule, not the field, says what is too long


class Text(Kind):
    value = "text"
    traits = frozenset({"textual"})
    may_be_list_item = True
    excel_width = 20


class LongText(Kind):
    value = "long_text"
    traits = frozenset({"textual"})
    long = True
    excel_width = 60
    excel_wrap = True
    template_name = "campaigns/kinds/textarea.html"
    rows = 12

    def clean(self, raw):
        return clean_text(raw, limit=LONG_TEXT_MAX, multiline=True)

    def widget_context(self, name, value) -> dict:
        return {**super().widget_context(name, value), "rows": self.rows}
