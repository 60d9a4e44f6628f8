"""What the exports page posts: which export, of which statuses, with or without the PDF forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from tuixuan.common.forms import PostedForm
from tuixuan.nominations.models import Status

from .models import ExportKind


class ExportForm(PostedForm):
    kind = forms.ChoiceField(
        label=_("导出类型"),
        choices=ExportKind.choices,
        error_messages={"required": _("请选择导出类型。")},
    )
    statuses = forms.MultipleChoiceField(
        label=_("推荐状态"),
        choices=Status.choices,
        error_messages={"required": _("请至少选择一种推荐状态。")},
    )
    include_pdf = forms.BooleanField(label=_("包含PDF版推荐表"), required=False)
