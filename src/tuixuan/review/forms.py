"""What the office's and the experts' pages post, checked before any service is called.

Choices come from the objects on the page (the nomination's manual criteria, the category's
nominations, the campaign's experts), so an id that is not offered is refused naming the field
rather than ignored. Whether a reason may be empty stays the services' rule (the API shares it).
"""

from django import forms

from tuixuan.common.forms import PostedForm, text

BULK_WORDS = {
    "reviewed": "标记为已评审",
    "shortlist": "列入拟推荐",
    "announce": "公示",
    "forward": "推报",
    "selected": "记录为入选",
    "not_selected": "记录为未入选",
}
REASON_CHARS = 2000
ANSWER_CHARS = 5000


def _choice(label, choices, *, required_message, multiple=False):
    kind = forms.MultipleChoiceField if multiple else forms.ChoiceField
    return kind(label=label, choices=choices, error_messages={"required": required_message})


class ReasonForm(PostedForm):
    """Returning a nomination for revision."""

    reason = text("理由", max_length=REASON_CHARS)


class AcceptForm(PostedForm):
    """Accepting after formal review: the manual criteria the organiser ticked."""

    checked = forms.MultipleChoiceField(label="人工核对项", required=False)

    def __init__(self, data, *, manual):
        super().__init__(data)
        self.fields["checked"].choices = [(str(c.pk), str(c.pk)) for c in manual]


class FlagDecisionForm(PostedForm):
    """Confirming or clearing a past-winner or duplicate flag."""

    decision = _choice(
        "核实结论",
        [("confirm", "确认"), ("clear", "排除")],
        required_message="请选择确认或排除。",
    )
    reason = text("理由", max_length=REASON_CHARS)


class BulkForm(PostedForm):
    """The ranking page: the chosen nominations of one category and what to do with them."""

    chosen = forms.MultipleChoiceField(label="推荐", error_messages={"required": "请先勾选推荐。"})
    action = _choice("操作", list(BULK_WORDS.items()), required_message="请选择操作。")

    def __init__(self, data, *, category):
        super().__init__(data)
        uids = category.nominations.values_list("uid", flat=True)
        self.fields["chosen"].choices = [(str(uid), str(uid)) for uid in uids]


class ObjectionForm(PostedForm):
    """An objection on the public 公示 page; lengths are the stored fields'."""

    nomination = _choice("异议对象", [], required_message="请选择对哪一项提出异议。")
    name = text("真实姓名", max_length=50)
    contact = text("联系方式", max_length=100)
    content = text("异议内容", max_length=5000)

    def __init__(self, data, *, nominations):
        super().__init__(data)
        self.fields["nomination"].choices = [(str(n.uid), n.name) for n in nominations]


class AnswerForm(PostedForm):
    answer = text("答复", max_length=ANSWER_CHARS)


class AssignForm(PostedForm):
    reviewer = _choice("评审专家", [], required_message="请选择评审专家。")

    def __init__(self, data, *, experts):
        super().__init__(data)
        self.fields["reviewer"].choices = [(key, key) for key in experts]


class ScoreForm(PostedForm):
    """An expert's scores, one text field per rubric item (the service reads the numbers and
    says which item is wrong), and the comment."""

    comment = text("评审意见", max_length=ANSWER_CHARS)

    def __init__(self, data, *, rubric):
        super().__init__(data)
        for item in rubric:
            self.fields[item.key] = text(item.label, max_length=20)
        self.rubric = rubric

    def scores(self) -> dict:
        cleaned = self.refused_or_cleaned()
        return {item.key: cleaned[item.key] for item in self.rubric}


class ConflictForm(PostedForm):
    reason = text("利益冲突说明", max_length=300)
