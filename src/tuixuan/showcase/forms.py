"""What the office posts to publish an exemplar: when it goes public (empty: now), and before a
result of 入选 the reason for publishing early (whether it is needed is the service's rule)."""

from django import forms
from django.utils.translation import gettext_lazy

from tuixuan.common.forms import PostedForm, text


class PublishForm(PostedForm):
    # The page's datetime-local input sends "2025-03-01T09:30", in Beijing time; the field
    # reads it in the current time zone.
    at = forms.DateTimeField(
        label=gettext_lazy("公开时间"),
        required=False,
        error_messages={"invalid": gettext_lazy("“公开时间”格式不正确，请重新选择。")},
    )
    reason = text(gettext_lazy("提前公开的理由"), max_length=2000)
