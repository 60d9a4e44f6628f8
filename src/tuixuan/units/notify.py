"""E-mail to a recommending unit when something happens to its nomination.

Subjects and bodies are templates (``templates/notifications/<event>.txt``: first line the subject,
the rest the body), so the organiser's wording can be changed without code. Mail goes out after
the transaction commits, through Django's mail framework (console by default, SMTP by settings).
They are written in the site's language (Chinese), whatever language the organiser whose action
sent them has chosen for the pages: the unit's people never chose it.
Personal data of the candidate is never put into a message.
"""

import logging

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from .models import Role, RoleKind

logger = logging.getLogger(__name__)

EVENTS = {"return", "accept", "shortlist", "select", "reject"}


def notify_unit(nomination, event, *, reason=""):
    if event not in EVENTS:
        return
    transaction.on_commit(lambda: _send(nomination, event, reason))


def _recipients(unit) -> list[str]:
    roles = Role.objects.filter(unit=unit, kind=RoleKind.UNIT_MEMBER).select_related("user")
    return sorted({role.user.email for role in roles if role.user.email})


def _send(nomination, event, reason):
    recipients = _recipients(nomination.unit)
    if not recipients:
        return
    context = {
        "nomination": nomination,
        "campaign": nomination.campaign,
        "unit": nomination.unit,
        "reason": reason,
        "site": settings.TUIXUAN_SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        text = render_to_string(f"notifications/{event}.txt", context).strip()
    subject, _, body = text.partition("\n")
    messages = [(subject.strip(), body.strip(), None, [address]) for address in recipients]
    send_mass_mail(messages, fail_silently=False)
    logger.info("notification %s sent for nomination %s", event, nomination.uid)
