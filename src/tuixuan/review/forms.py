"""What the office's and the experts' pages post, checked before any service is called.

Choices come from the objects on the page (the nomination's manual criteria, the category's
nominations, the campaign's experts), so an id that is not offered is refused naming the field
rather than ignored. Whether a reason may be empty stays the services' rule (the API shares it).
"""

from django import forms
from django.utils.translation import gettext_lazy

from tuixuan.common.forms import PostedForm, text

BULK_WORDS = {
    "reviewed": gettext_lazy("标记为已评审"),
    "shortlist": gettext_lazy("列入拟推荐"),
    "announce": gettext_lazy("公示"),
    "forward": gettext_lazy("推报"),
    "selected": gettext_lazy("记录为入选"),
    "not_selected": gettext_lazy("记录为未入选"),
}
REASON_CHARS = 2000
ANSWER_CHARS = 5000


def _choice(label, choices, *, required_message, multiple=False):
    kind = forms.MultipleChoiceField if multiple else forms.ChoiceField
    return kind(label=label, choices=choices, error_messages={"required": required_message})


class ReasonForm(PostedForm):
    """Returning a nomination for revision."""

    reason = text(gettext_lazy("理由"), max_length=REASON_CHARS)


class AcceptForm(PostedForm):
    """Accepting after formal review: the manual criteria the organiser ticked."""

    checked = forms.MultipleChoiceField(label=gettext_lazy("人工核对项"), required=False)

    def __init__(self, data, *, manual):
        super().__init__(data)
        self.fields["checked"].choices = [(str(c.pk), str(c.pk)) for c in manual]


class FlagDecisionForm(PostedForm):
    """Confirming or clearing a past-winner or duplicate flag."""

    decision = _choice(
        gettext_lazy("核实结论"),
        [("confirm", gettext_lazy("确认")), ("clear", gettext_lazy("排除"))],
        required_message=gettext_lazy("请选择确认或排除。"),
    )
    reason = text(gettext_lazy("理由"), max_length=REASON_CHARS)


class BulkForm(PostedForm):
    """The ranking page: the chosen nominations of one category and what to do with them."""

    chosen = forms.MultipleChoiceField(
        label=gettext_lazy("推荐"), error_messages={"required": gettext_lazy("请先勾选推荐。")}
    )
    action = _choice(
        gettext_lazy("操作"),
        list(BULK_WORDS.items()),
        required_message=gettext_lazy("请选择操作。"),
    )
    # 公示 only: typed when the working days cannot be counted (a year the holiday data does not
    # know yet) or the organiser wants a longer period; empty, the campaign's working days count.
    ends_on = forms.DateField(
        label=gettext_lazy("公示截止日期"),
        required=False,
        error_messages={"invalid": gettext_lazy("请按“2025-03-14”的格式填写日期。")},
    )

    def __init__(self, data, *, category):
        super().__init__(data)
        uids = category.nominations.values_list("uid", flat=True)
        self.fields["chosen"].choices = [(str(uid), str(uid)) for uid in uids]


class ObjectionForm(PostedForm):
    """An objection on the public 公示 page; lengths are the stored fields'."""

    nomination = _choice(
        gettext_lazy("异议对象"), [], required_message=gettext_lazy("请选择对哪一项提出异议。")
    )
    name = text(gettext_lazy("真实姓名"), max_length=50)
    contact = text(gettext_lazy("联系方式"), max_length=100)
    content = text(gettext_lazy("异议内容"), max_length=5000)

    def __init__(self, data, *, nominations):
        super().__init__(data)
        self.fields["nomination"].choices = [(str(n.uid), n.name) for n in nominations]


class AnswerForm(PostedForm):
    answer = text(gettext_lazy("答复"), max_length=ANSWER_CHARS)


class AssignForm(PostedForm):
    reviewer = _choice(
        gettext_lazy("评审专家"), [], required_message=gettext_lazy("请选择评审专家。")
    )

    def __init__(self, data, *, experts):
        super().__init__(data)
        self.fields["reviewer"].choices = [(key, key) for key in experts]


class ScoreForm(PostedForm):
    """An expert's scores, one text field per rubric item (the service reads the numbers and
    says which item is wrong), and the comment."""

    comment = text(gettext_lazy("评审意见"), max_length=ANSWER_CHARS)

    def __init__(self, data, *, rubric):
        super().__init__(data)
        for item in rubric:
            self.fields[item.key] = text(item.label, max_length=20)
        self.rubric = rubric

    def scores(self) -> dict:
        cleaned = self.refused_or_cleaned()
        return {item.key: cleaned[item.key] for item in self.rubric}


class ConflictForm(PostedForm):
    reason = text(gettext_lazy("利益冲突说明"), max_length=300)


QUEUE_SIZES = (50, 100, 200)


class QueueSizeForm(PostedForm):
    """How many rows the 形式审查 queue shows a page (its query string; 50 when not given)."""

    per_page = forms.TypedChoiceField(
        label=gettext_lazy("每页条数"),
        choices=[(size, size) for size in QUEUE_SIZES],
        coerce=int,
        required=False,
        empty_value=QUEUE_SIZES[0],
        error_messages={"invalid_choice": gettext_lazy("只能是50、100或200。")},
    )
