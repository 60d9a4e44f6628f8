"""Writing the audit log: one call per state change or organiser action."""

from .models import AuditEvent


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
