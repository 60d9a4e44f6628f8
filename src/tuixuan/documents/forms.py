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


class DocxImportForm(PostedForm):
    """The filled 推荐表 and, optionally, its category (else read from the form's title)."""

    file = forms.FileField(
        label=_("Word 推荐表"),
        error_messages={"required": _("请选择要导入的 Word 推荐表（.docx）。")},
    )
    category = forms.ChoiceField(label=_("类别"), required=False)

    def __init__(self, campaign, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("按推荐表标题自动识别")),
            *((c.key, c.name) for c in campaign.categories.all()),
        ]


class DocxConfirmForm(PostedForm):
    action = forms.ChoiceField(
        label=_("操作"), choices=[("confirm", _("确认导入")), ("cancel", _("取消"))]
    )


class BatchUploadForm(PostedForm):
    """The batch-import page's upload: which category, and the filled template."""

    category = forms.ChoiceField(label=_("类别"), error_messages={"required": _("请选择类别。")})
    workbook = forms.FileField(
        label=_("Excel文件"), error_messages={"required": _("请选择填好的Excel文件（.xlsx）。")}
    )

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [(c.key, c.name) for c in categories]


class BatchCreateForm(PostedForm):
    """The preview's confirmation: the rows it showed, signed when it showed them."""

    rows = forms.CharField(label=_("导入内容"), error_messages={"required": _("请重新上传文件。")})
