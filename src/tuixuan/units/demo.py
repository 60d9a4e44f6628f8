"""Demo accounts for ``make run``: one organiser, three recommending units, one reviewer.

The Guangxi 2024 deadline (2025-02-13) is long past, so the demo units are given an extension
(the same extension an organiser uses) of ``DEMO_EXTENSION`` from today, to let a visitor try
nominating. The campaign file itself stays as the notice says.

A campaign with a parent campaign (``parent``, ``parent_unit``) also gets the parent's side of
the chain: a demo organiser of the parent, and the campaign's own organiser unit taking part in
the parent (with the same extension). ``demo_seeded`` then lets the apps above add their part
(``review.demo``: a nomination ready to be forwarded, when asked for with ``chain``).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone

from .models import Participation, RecommendingUnit, Role, RoleKind, UnitKind

DEMO_PASSWORD = "tuixuan-demo-2025"
DEMO_EXTENSION = timedelta(days=30)

UNITS = [
    ("nanning-cast", "南宁市科学技术协会", UnitKind.CITY_CAST, "南宁市", "nanning"),
    ("gx-agri-society", "广西农学会", UnitKind.SOCIETY, "广西壮族自治区", "nongxue"),
    ("gx-meteorology", "广西壮族自治区气象局", UnitKind.OTHER, "广西壮族自治区", "qixiang"),
]
ORGANISER = ("zuzhi", "自治区科协组织宣传部")
REVIEWER = ("pingshen", "评审专家")
PARENT_ORGANISER = "quanguo"

# Sent once the demo accounts are there: ``campaign``, and ``chain`` (seed a nomination ready
# to go to the parent campaign). The receivers return the (login, who) lines they add, if any.
demo_seeded = Signal()
ORGANISER_APPS = (
    "campaigns",
    "units",
    "nominations",
    "common",
    "documents",
    "review",
    "showcase",
    "api",
)


@transaction.atomic
def create_demo(campaign) -> list[tuple[str, str]]:
    """Create (or refresh) the demo accounts for a campaign; returns (login, who) pairs.

    Idempotent: seeding again changes nothing but the extension (again ``DEMO_EXTENSION`` from
    today); a demo password someone changed stays changed."""
    users = get_user_model()
    logins = []

    def account(username, full_name, *, staff=False):
        user, created = users.objects.get_or_create(username=username)
        user.first_name = full_name
        user.is_staff = staff
        if created or not user.has_usable_password():
            # Hashing (Argon2) is deliberately slow: a second seeding keeps the password there is.
            user.set_password(DEMO_PASSWORD)
        user.save()
        return user

    group, _ = Group.objects.get_or_create(name="组织方")
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=ORGANISER_APPS))
    organiser = account(*ORGANISER, staff=True)
    organiser.groups.add(group)
    Role.objects.get_or_create(user=organiser, kind=RoleKind.ORGANISER, campaign=campaign)
    logins.append((organiser.username, f"组织方（{ORGANISER[1]}）"))

    for code, name, kind, region, username in UNITS:
        unit, _ = RecommendingUnit.objects.update_or_create(
            code=code, defaults={"name": name, "kind": kind, "region": region}
        )
        participation, _ = Participation.objects.get_or_create(campaign=campaign, unit=unit)
        extended = timezone.now() + DEMO_EXTENSION
        if extended > campaign.deadline:
            participation.extension_until = extended
            participation.save(update_fields=["extension_until"])
        member = account(username, f"{name}经办人")
        Role.objects.get_or_create(user=member, kind=RoleKind.UNIT_MEMBER, unit=unit)
        logins.append((username, f"推荐单位（{name}，{kind.label}）"))

    reviewer = account(*REVIEWER)
    Role.objects.get_or_create(user=reviewer, kind=RoleKind.REVIEWER, campaign=campaign)
    logins.append((reviewer.username, "评审专家"))

    parent = campaign.parent
    if parent is not None and campaign.parent_unit:
        above = account(PARENT_ORGANISER, f"{parent.organiser}（上级活动组织方）", staff=True)
        above.groups.add(group)
        Role.objects.get_or_create(user=above, kind=RoleKind.ORGANISER, campaign=parent)
        logins.append((above.username, f"上级活动组织方（{parent.organiser}，{parent.title}）"))
        unit, _ = RecommendingUnit.objects.update_or_create(
            code=campaign.parent_unit,
            defaults={"name": campaign.issuer, "kind": UnitKind.OTHER, "region": campaign.region},
        )
        participation, _ = Participation.objects.get_or_create(campaign=parent, unit=unit)
        extended = timezone.now() + DEMO_EXTENSION
        if extended > parent.deadline:
            participation.extension_until = extended
            participation.save(update_fields=["extension_until"])
    return logins
