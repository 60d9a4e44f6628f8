"""What the 个人信息 page posts."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tuixuan.common.forms import PostedForm

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
