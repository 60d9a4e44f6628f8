"""E-mail addresses (联系邮箱) as Django validates them; a full-width ＠ and spaces corrected."""

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .base import FieldError, Kind

EMAIL_MAX = 254  # RFC 5321's longest address
_VALID = EmailValidator()


class Email(Kind):
    value = "email"
    personal = True
    excel_width = 28
    input_attrs = {
        "type": "email",
        "inputmode": "email",
        "placeholder": gettext_lazy("如 name@example.com"),
    }

    def json_example(self):
        return "volunteer@example.com"

    def clean(self, raw):
        if not isinstance(raw, str):
            raise FieldError(_("应填写电子邮箱地址，如 name@example.com。"))
        address = "".join(unicodedata.normalize("NFKC", raw).split())
        if len(address) > EMAIL_MAX:
            raise FieldError(_("内容过长（不超过%(most)s个字符）。") % {"most": EMAIL_MAX})
        try:
            _VALID(address)
        except ValidationError:
            raise FieldError(_("应填写电子邮箱地址，如 name@example.com。")) from None
        local, _at, domain = address.rpartition("@")
        return f"{local}@{domain.lower()}"
