"""Every transition of a nomination, in one table.

Each row says from which states (a group on ``Status``), to which state, which ``rules``
permission the person needs, the word a refusal uses (“当前状态为……，不能提交。”), and, by its
action, the audit key (``nomination.<action>``). ``services.py`` has one function per transition
for what else each needs (rules of the notice, flags, 公示); they all move through this table, and
``rules.py`` derives from it the state-aware permissions pages ask (``nominations.submit_now``).
"""

from dataclasses import dataclass

from .models import Status


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: Status
    permission: str
    word: str


S = Status
TRANSITIONS = {
    transition.action: transition
    for transition in (
        #          action       from                 to               who may                 refusal word
        Transition("submit",    S.EDITABLE,          S.SUBMITTED,     "nominations.submit",   "提交"),
        Transition("withdraw",  S.WITHDRAWABLE,      S.WITHDRAWN,     "nominations.withdraw", "撤回"),
        Transition("return",    {S.SUBMITTED},       S.RETURNED,      "nominations.review",   "退回修改"),
        Transition("accept",    {S.SUBMITTED},       S.ACCEPTED,      "nominations.review",   "通过形式审查"),
        Transition("review",    S.REVIEWABLE,        S.REVIEWED,      "nominations.review",   "标记为已评审"),
        Transition("shortlist", {S.REVIEWED},        S.SHORTLISTED,   "nominations.select",   "列入拟推荐"),
        Transition("announce",  {S.SHORTLISTED},     S.ANNOUNCED,     "nominations.select",   "公示"),
        Transition("forward",   {S.ANNOUNCED},       S.FORWARDED,     "nominations.select",   "推报"),
        Transition("select",    {S.FORWARDED},       S.SELECTED,      "nominations.select",   "记录为入选"),
        Transition("reject",    {S.FORWARDED},       S.NOT_SELECTED,  "nominations.select",   "记录为未入选"),
    )
}  # fmt: skip
