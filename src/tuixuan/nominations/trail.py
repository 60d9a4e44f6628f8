"""A nomination's audit trail as sentences a person reads: “张三 于 2025-02-10 10:00 退回修改：
请补充材料”. The labels are those each app gave its actions (``common.audit.describe_actions``;
a transition's is its row's label in ``transitions.py``); states read as ``Status`` labels."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model

from tuixuan.common.audit import NOBODY, action_label

from .models import Status


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    who: str
    label: str
    reason: str
    from_state: str  # the states' labels; both "" when the event moved no state
    to_state: str
    whom: str = ""  # the person the action was about: the expert assigned
    fields: tuple = ()  # the labels of the fields a save changed (its editing burst's)


def _state(code) -> str:
    return Status(code).label if code in Status.values else code


def trail_of(nomination) -> list[TrailLine]:
    """The office's view of the trail (the unit's pages do not show it): who did what when,
    from which state to which, why, and whom an assignment gave the nomination to."""
    events = list(nomination.audit_events.select_related("actor"))
    usernames = {e.data.get("reviewer") for e in events if isinstance(e.data, dict)} - {None}
    names = {
        user.username: user.first_name or user.username
        for user in get_user_model().objects.filter(username__in=usernames)
    }
    labels = {spec.key: spec.label for spec in nomination.category.fields.all()}
    lines = []
    for event in events:
        actor = event.actor
        moved = bool(event.from_state and event.to_state)  # a transition, not a save
        data = event.data if isinstance(event.data, dict) else {}
        reviewer = data.get("reviewer")
        lines.append(
            TrailLine(
                at=event.at,
                who=(actor.first_name or actor.username) if actor else NOBODY,
                label=action_label(event.action),
                reason=event.reason,
                from_state=_state(event.from_state) if moved else "",
                to_state=_state(event.to_state) if moved else "",
                whom=names.get(reviewer, reviewer or ""),
                fields=tuple(labels.get(key, key) for key in data.get("fields", ())),
            )
        )
    return lines
