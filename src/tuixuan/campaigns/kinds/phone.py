"""Telephone numbers: an 11-digit mobile, or a landline with its area code (0771-2863980)."""

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import FieldError, Kind

_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")


class Phone(Kind):
    value = "phone"
    personal = True
    may_be_list_item = True
    input_attrs = {
        "type": "tel",
        "inputmode": "tel",
        "placeholder": gettext_lazy("手机号或 0771-2863980"),
    }

    def json_example(self):
        return "0771-2863980"

    def clean(self, raw):
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            raise FieldError(_("应填写手机号码或带区号的固定电话。"))
        text = unicodedata.normalize("NFKC", str(raw)).strip()
        text = re.sub(r"[\s()（）]", "", text).removeprefix("+86").removeprefix("0086")
        text = text.replace("—", "-").replace("–", "-")
        if _MOBILE.match(text):
            return text
        match = _LANDLINE.match(text)
        if match:
            area, number, extension = match.groups()
            return f"{area}-{number}" + (f"-{extension}" if extension else "")
        raise FieldError(_("应填写11位手机号码，或带区号的固定电话（如0771-2863980）。"))
