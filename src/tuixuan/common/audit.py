"""Writing the audit log: one call per state change or organiser action; and what each action
is called when the trail is read (“退回修改”, “上传照片”).

Each app names its own actions where it records them (``describe_actions``), so the trail reads
the same words wherever it is listed; an action nobody named shows as its key.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy

from .models import AuditEvent
from .prepared import Param, Prepared

NOBODY = gettext_lazy("公众或系统")  # who an event without a person was done by

ACTION_LABELS: dict[str, str] = {}
STATE_LABELS: dict[str, str] = {}


def describe_actions(labels: dict) -> None:
    """Give actions their Chinese labels (action key → label)."""
    ACTION_LABELS.update(labels)


def describe_states(labels: dict) -> None:
    """Give the states events move between their labels (code → label): the nominations' app
    names its ``Status`` so the admin's list of events reads “草稿 → 已提交”, not codes."""
    STATE_LABELS.update(labels)


def state_label(code) -> str:
    return STATE_LABELS.get(code, code)


def action_label(action) -> str:
    return ACTION_LABELS.get(action, action)


def record(
    action,
    *,
    actor=None,
    campaign=None,
    nomination=None,
    from_state="",
    to_state="",
    reason="",
    **data,
):
    """Write one audit event. Callers pass no personal data in ``data``: only keys and states."""
    if nomination is not None and campaign is None:
        campaign = nomination.campaign
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.is_authenticated else None,
        campaign=campaign,
        nomination=nomination,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data,
    )


def record_burst(action, *, actor, nomination, fields, within, **data):
    """Write one audit event for a burst of the same saves: the saves of one person's editing
    burst (auto-saves as they type, 保存草稿 again and again) are one event, not hundreds.

    When the newest event of ``nomination`` is ``action`` by the same ``actor``, at most
    ``within`` ago, that event is the burst's: it takes this save's time and the union of the
    changed ``fields`` (keys, never values). Anything else recorded for the nomination in
    between (an upload, a transition, another person's save) ends the burst, so the trail still
    says who changed what, and when. Otherwise a new event is written."""
    now = timezone.now()
    last = _newest_of.first(nomination.pk)
    if (
        last is not None
        and last.action == action
        and actor.is_authenticated
        and last.actor_id == actor.pk
        and now - last.at <= within
    ):
        last.extend_burst(at=now, fields=sorted({*last.data.get("fields", []), *fields}))
        return last
    return record(action, actor=actor, nomination=nomination, fields=sorted(fields), **data)


def newest(nomination, action):
    """The newest event ``action`` of ``nomination``, or None (the page of a nomination its
    organiser returned shows why, from the newest 退回)."""
    return _newest_action_of.first(nomination.pk, action)


# The newest event of a nomination: every save of a draft asks it (``record_burst``), and
# building it with the ORM was a tenth of an auto-save's time (issue 18).
_newest_of = Prepared(
    lambda nomination_id: AuditEvent.objects.filter(nomination_id=nomination_id).order_by(
        "-at", "-pk"
    )[:1],
    Param(-7_900_001),
)
_newest_action_of = Prepared(
    lambda nomination_id, action: AuditEvent.objects.filter(
        nomination_id=nomination_id, action=action
    ).order_by("-at", "-pk")[:1],
    Param(-7_900_002),
    Param("(an action)"),
)
