"""Changes of a person's own details."""

from django.db import transaction

from tuixuan.common.audit import record

from .models import Profile


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
