"""A nomination's audit trail as sentences a person reads: “张三 于 2025-02-10 10:00 退回修改：
请补充材料”. The labels are those each app gave its actions (``common.audit.describe_actions``;
a transition's is its row's label in ``transitions.py``); states read as ``Status`` labels."""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy

from tuixuan.common.audit import action_label

from .models import Status

NOBODY = gettext_lazy("公众或系统")


@dataclass(frozen=True)
class TrailLine:
    at: datetime
    who: str
    label: str
    reason: str
    from_state: str  # the states' labels; both "" when the event moved no state
    to_state: str
    fields: tuple = ()  # the labels of the fields a save changed (its editing burst's)


def _state(code) -> str:
    return Status(code).label if code in Status.values else code


def trail_of(nomination) -> list[TrailLine]:
    labels = {spec.key: spec.label for spec in nomination.category.fields.all()}
    lines = []
    for event in nomination.audit_events.select_related("actor"):
        actor = event.actor
        moved = bool(event.from_state and event.to_state)  # a transition, not a save
        lines.append(
            TrailLine(
                at=event.at,
                who=(actor.first_name or actor.username) if actor else NOBODY,
                label=action_label(event.action),
                reason=event.reason,
                from_state=_state(event.from_state) if moved else "",
                to_state=_state(event.to_state) if moved else "",
                fields=tuple(labels.get(key, key) for key in event.data.get("fields", ())),
            )
        )
    return lines
