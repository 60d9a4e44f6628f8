"""What the organiser posts to extend a unit's deadline (G2): the unit, the new deadline (empty:
back to the campaign's), and the reason. Whether they are acceptable is the service's rule."""

from django import forms
from django.utils.translation import gettext_lazy

from tuixuan.common.forms import PostedForm, text


class ExtensionForm(PostedForm):
    unit = forms.SlugField(label=gettext_lazy("推荐单位"), max_length=64)
    # The page's datetime-local input sends "2025-02-20T18:00", in Beijing time; the field reads
    # it in the current time zone.
    until = forms.DateTimeField(
        label=gettext_lazy("延期至"),
        required=False,
        error_messages={"invalid": gettext_lazy("“延期至”格式不正确，请重新选择。")},
    )
    reason = text(gettext_lazy("延期理由"), max_length=2000)
