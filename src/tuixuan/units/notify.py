"""Telling a recommending unit's people that something happened to its nomination: a notification
on the unit's page for each of them, and an e-mail to each who has set an address.

Both come from here, from the audit event of the change (``notify_unit(event)``, called by the
one function every transition goes through, ``nominations.services._move``), so the page and the
mail never disagree and no view sends either.

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
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tuixuan.common.phrases import context as phrases_context
from tuixuan.common.prepared import Param, Prepared

from .models import HEADLINES, Notification, Role, RoleKind, action_of

logger = logging.getLogger(__name__)

EVENTS = set(HEADLINES)  # the transitions a unit is told of, by their action


def notify_unit(event):
    """The unit whose nomination ``event`` changed is told: a notification for each of its
    people now (in the change's transaction), an e-mail to those with an address once it
    commits. Events the unit is not told of are ignored."""
    action = action_of(event)
    if action not in EVENTS or event.nomination is None:
        return
    nomination = event.nomination
    people = [
        role.user
        for role in Role.objects.filter(
            unit_id=nomination.unit_id, kind=RoleKind.UNIT_MEMBER
        ).select_related("user")
    ]
    Notification.objects.bulk_create(
        [Notification(user=user, unit_id=nomination.unit_id, event=event) for user in people]
    )
    addresses = sorted({user.email for user in people if user.email})
    if addresses:
        transaction.on_commit(lambda: _send(nomination, action, event.reason, addresses))


# Every logged-in page shows the count: a prepared statement (common/prepared.py), not an ORM
# query built each time. Grouped by the user so that the count is a column of a values_list.
_unread = Prepared(
    lambda user_id: (
        Notification.objects.filter(user_id=user_id)
        .unread()
        .order_by()
        .values("user_id")
        .annotate(count=Count("pk"))
        .values_list("count")
    ),
    Param(-7_000_001),
)


def unread_count(user) -> int:
    found = _unread.first(user.pk)
    return found[0] if found else 0


# The unit's page asks on every visit whether there is news; most visits there is none, and
# only then is the news itself read with the ORM (with its event and nomination).
_unread_here = Prepared(
    lambda user_id, unit_id, campaign_id: (
        Notification.objects.filter(
            user_id=user_id, unit_id=unit_id, event__campaign_id=campaign_id
        )
        .unread()
        .order_by()
        .values_list("pk")
    ),
    Param(-7_000_002),
    Param(-7_000_003),
    Param(-7_000_004),
)


def take_unread(user, unit, campaign) -> list:
    """The unit's news for ``user`` in ``campaign`` they have not yet seen, newest first; from
    now on they count as read (the page that called this shows them)."""
    unseen = [pk for (pk,) in _unread_here.rows(user.pk, unit.pk, campaign.pk)]
    if not unseen:
        return []
    news = list(Notification.objects.filter(pk__in=unseen).select_related("event__nomination"))
    Notification.objects.filter(pk__in=[n.pk for n in news]).update(read_at=timezone.now())
    return news


def _send(nomination, action, reason, addresses):
    context = {
        "nomination": nomination,
        "campaign": nomination.campaign,
        "unit": nomination.unit,
        "reason": reason,
        "site": settings.TUIXUAN_SITE_URL,
    }
    with translation.override(settings.LANGUAGE_CODE):
        context |= phrases_context(None)
        text = render_to_string(f"notifications/{action}.txt", context).strip()
    subject, _newline, body = text.partition("\n")
    messages = [(subject.strip(), body.strip(), None, [address]) for address in addresses]
    send_mass_mail(messages, fail_silently=False)
    logger.info("notification %s sent for nomination %s", action, nomination.uid)


def context(request):
    """Template context processor: ``unread_notifications``, the header's count, counted only
    on pages that show it (a callable: the template calls it when it reads it)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": lambda: unread_count(user)}
