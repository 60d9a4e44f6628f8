"""Changes the units' pages make: a person's own details, and a unit's deadline extension
(granted by the organiser with a reason, audited)."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuixuan.common.audit import describe_actions, record
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import require_permission

from .models import Participation, Profile

describe_actions({"participation.extend": gettext_lazy("批准推荐单位延期")})


@transaction.atomic
def extend_deadline(user, participation, *, until, reason) -> Participation:
    """Let the unit submit and edit until ``until`` (None: back to the campaign's deadline).

    Only the campaign's organiser, only with a reason (kept in the audit trail with the new and
    the old deadline). An extension ends after the campaign's own deadline, or it is no extension.
    """
    campaign = participation.campaign
    require_permission(user, "review.office", campaign)
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("“延期理由”：批准或取消延期都须填写理由。"), field="reason")
    if until is not None and until <= campaign.deadline:
        raise Refused(
            _("“延期至”：须晚于活动的截止时间，否则不是延期。"),
            field="until",
            rule_id=campaign.rule_id_for("deadline"),
        )
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    before = participation.extension_until
    participation.extension_until = until
    participation.save(update_fields=["extension_until"])
    record(
        "participation.extend",
        actor=user,
        campaign=campaign,
        unit=participation.unit.code,
        extension_until=until.isoformat() if until else "",
        before=before.isoformat() if before else "",
        reason=reason,
    )
    return participation


@transaction.atomic
def set_contact(user, *, email, mobile):
    """Keep the person's e-mail address (where the unit's notifications are mailed) and mobile
    number. The audit event names which changed, never the values: they are personal data."""
    profile, _created = Profile.objects.get_or_create(user=user)
    changed = [
        name
        for name, before, after in (
            ("email", user.email, email),
            ("mobile", profile.mobile, mobile),
        )
        if before != after
    ]
    if not changed:
        return
    user.email = email
    user.save(update_fields=["email"])
    profile.mobile = mobile
    profile.save(update_fields=["mobile"])
    record("profile.update", actor=user, changed=changed)
