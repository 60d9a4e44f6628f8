"""Every transition of a nomination, in one table.

Each row says from which states (a group on ``Status``), to which state, which ``rules``
permission the person needs, whether it closes at the unit's deadline, and its Chinese label: the
verb a refusal uses (“当前状态为……，不能提交。”) and the audit trail reads (“张三 于 …… 退回修改：
理由”). By its action it names the audit key (``nomination.<action>``). ``services.py`` has one
function per transition for what else each needs (rules of the notice, flags, 公示); they all move
through this table, and ``rules.py`` derives from it the state-aware permissions pages ask
(``nominations.submit_now``).
"""

from dataclasses import dataclass

from django.utils.translation import pgettext_lazy

from tuixuan.common.audit import describe_actions, describe_states

from .models import Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: Status
    permission: str
    until_deadline: bool  # the unit's own moves: refused after its deadline unless returned
    label: str  # a verb: “不能提交” in a refusal, “张三 于 …… 提交” in the trail

    @property
    def audit_key(self) -> str:
        return f"nomination.{self.action}"


S = Status
UNIT, OFFICE = True, False  # until_deadline: the unit's moves close at its deadline
TRANSITIONS = {
    transition.action: transition
    for transition in (
        #          action       from             to               who may                 deadline  label
        Transition("submit",    S.EDITABLE,      S.SUBMITTED,     "nominations.submit",   UNIT,   pgettext_lazy("step", "提交")),
        Transition("withdraw",  S.WITHDRAWABLE,  S.WITHDRAWN,     "nominations.withdraw", UNIT,   pgettext_lazy("step", "撤回")),
        Transition("return",    {S.SUBMITTED},   S.RETURNED,      "nominations.review",   OFFICE, pgettext_lazy("step", "退回修改")),
        Transition("accept",    {S.SUBMITTED},   S.ACCEPTED,      "nominations.review",   OFFICE, pgettext_lazy("step", "通过形式审查")),
        Transition("review",    S.REVIEWABLE,    S.REVIEWED,      "nominations.review",   OFFICE, pgettext_lazy("step", "标记为已评审")),
        Transition("shortlist", {S.REVIEWED},    S.SHORTLISTED,   "nominations.select",   OFFICE, pgettext_lazy("step", "列入拟推荐")),
        Transition("announce",  {S.SHORTLISTED}, S.ANNOUNCED,     "nominations.select",   OFFICE, pgettext_lazy("step", "公示")),
        Transition("forward",   {S.ANNOUNCED},   S.FORWARDED,     "nominations.select",   OFFICE, pgettext_lazy("step", "推报")),
        Transition("select",    {S.FORWARDED},   S.SELECTED,      "nominations.select",   OFFICE, pgettext_lazy("step", "记录为入选")),
        Transition("reject",    {S.FORWARDED},   S.NOT_SELECTED,  "nominations.select",   OFFICE, pgettext_lazy("step", "记录为未入选")),
    )
}  # fmt: skip

describe_actions({t.audit_key: t.label for t in TRANSITIONS.values()})
describe_states(dict(Status.choices))  # the admin's list of events reads states by name
