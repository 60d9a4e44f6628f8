"""Registration on 大美志愿 (the volunteer platform): yes or no, and the name or number there."""

import re

from django.utils.translation import gettext as _

from .base import FieldError, Kind, clean_text, excel_text, is_empty

NUMBER_MAX = 100
_YES = {True, "true", "1", "yes", "on", "是", "已注册"}
_NO = {False, "false", "0", "no", "off", "否", "未注册"}
# A cell of the batch-import template: 已注册（编号）, 是 编号, 未注册, 否 (the longest word first).
_WORDS = sorted((w for w in _YES | _NO if isinstance(w, str) and not w.isascii()), key=len)
_CELL = re.compile(rf"^({'|'.join(reversed(_WORDS))})[\s:：,，、(（]*(.*?)[)）]?$")


def yes_or_no(answer) -> bool | None:
    """A yes/no answer as typed or posted (是/否, true/false, on …); None when it is neither."""
    answer = answer.strip().lower() if isinstance(answer, str) else answer
    if answer in _YES:
        return True
    if answer in _NO:
        return False
    return None


class Registration(Kind):
    value = "registration"
    traits = frozenset({"registration"})
    may_be_list_item = True
    template_name = "campaigns/kinds/registration.html"

    def json_example(self):
        """Whether registered on 大美志愿, and the registration name or number there."""
        return {"registered": True, "number": "GX2024001"}

    def clean(self, raw):
        """``{"registered": True | False | None, "number": …}``: None when 是/否 was left
        unanswered (only a number typed), never read as 否 — an unanswered question stays
        unanswered, and the rules report it as empty."""
        if isinstance(raw, bool | str):
            raw = {"registered": raw}
        if not isinstance(raw, dict):
            raise FieldError(_("应说明是否已注册，并填写注册名称或编号。"))
        answer = raw.get("registered")
        registered = None if is_empty(answer) else yes_or_no(answer)
        if registered is None and not is_empty(answer):
            raise FieldError(_("应选择“是”或“否”。"))
        number = raw.get("number")
        number = "" if is_empty(number) else clean_text(number, limit=NUMBER_MAX)
        return {"registered": registered, "number": number}

    def from_excel(self, cell, number_format=None):
        """“已注册（编号）”, “是 编号”, “未注册” or “否”, as the workbook shows a registration."""
        text = excel_text(cell)
        if not isinstance(text, str) or not text.strip():
            return text
        match = _CELL.match(" ".join(text.split()))
        if not match:
            raise FieldError(_("应填写“已注册（注册名称或编号）”或“未注册”。"))
        answer, number = match.groups()
        return {"registered": answer, "number": number}

    def show(self, value) -> str:
        if value.get("registered") is None:
            return value.get("number") or ""
        if not value.get("registered"):
            return "未注册"
        number = value.get("number")
        return f"已注册（{number}）" if number else "已注册"

    def cell_text(self, value) -> str:
        text = self.text(value)
        return f"“大美志愿”{text}" if text else ""

    def registrations(self, value) -> list[tuple[str, dict | None]]:
        """(who, registration): the candidate's own."""
        return [("", value)]

    def label_for(self) -> bool:
        return False

    def raw_from(self, data, name):
        return {
            "registered": data.get(f"{name}__registered", ""),
            "number": data.get(f"{name}__number", ""),
        }

    def widget_context(self, name, value) -> dict:
        value = value if isinstance(value, dict) else {}
        answer = value.get("registered")
        flag = None if is_empty(answer) else yes_or_no(answer)
        return {
            "name": f"{name}__registered",
            "number_name": f"{name}__number",
            "yes": flag is True,
            "no": flag is False,
            "number": value.get("number", ""),
        }

    def cell_context(self, name, value) -> dict:
        return {"label": self.field.label, "registration": self.widget_context(name, value)}
