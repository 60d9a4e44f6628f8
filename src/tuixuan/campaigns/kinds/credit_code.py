"""统一社会信用代码 (unified social credit code) of an organisation, by GB 32100-2015.

18 characters from the standard's 31 (digits and capitals without I, O, Z, S, V): the registering
authority, the kind of organisation, the 6-digit region code, the 9-character organisation code
and a check character, computed from the first 17 with weights 3^i mod 31.
"""

import re
import unicodedata

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import FieldError, Kind

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, …
_SHAPE = re.compile(f"^[{ALPHABET}]{{18}}$")


def check_character(first17: str) -> str:
    """The 18th character the standard computes from the first 17."""
    total = sum(
        ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True)
    )
    return ALPHABET[(31 - total % 31) % 31]


class CreditCode(Kind):
    value = "credit_code"
    excel_width = 22
    input_attrs = {
        "placeholder": gettext_lazy("18位，如 91350100M000100Y43"),
        "autocapitalize": "characters",
    }

    def json_example(self):
        return "91350100M000100Y43"

    def clean(self, raw):
        if not isinstance(raw, str):
            raise FieldError(_("应为18位数字或大写字母。"))
        code = re.sub(r"[\s-]", "", unicodedata.normalize("NFKC", raw)).upper()
        if not _SHAPE.match(code):
            raise FieldError(_("应为18位数字或大写字母（不含I、O、Z、S、V）。"))
        if check_character(code[:17]) != code[17]:
            raise FieldError(_("校验位不正确，请核对是否抄错。"))
        return code
