"""What the units' pages post: a person's contact details (个人信息), and the organiser's
deadline extension for a unit (the unit, the new deadline — empty: back to the campaign's —
and the reason; whether they are acceptable is the service's rule)."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tuixuan.common.forms import PostedForm, text

MOBILE = RegexValidator(r"^1[3-9][0-9]{9}$", _("应为以1开头的11位数字，如13807710001。"))


class ContactForm(PostedForm):
    email = forms.EmailField(
        label=_("电子邮箱"),
        required=False,
        max_length=254,
        error_messages={
            "invalid": _("格式不正确，应如 name@example.cn。"),
            "max_length": _("不能超过254个字符。"),
        },
    )
    mobile = forms.CharField(
        label=_("手机号码"),
        required=False,
        max_length=11,
        validators=[MOBILE],
        error_messages={"max_length": _("应为以1开头的11位数字，如13807710001。")},
    )


class ExtensionForm(PostedForm):
    unit = forms.SlugField(label=_("推荐单位"), max_length=64)
    # The page's datetime-local input sends "2025-02-20T18:00", in Beijing time; the field reads
    # it in the current time zone.
    until = forms.DateTimeField(
        label=_("延期至"),
        required=False,
        error_messages={"invalid": _("“延期至”格式不正确，请重新选择。")},
    )
    reason = text(_("延期理由"), max_length=2000)
