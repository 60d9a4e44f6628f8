"""An organiser cannot grant itself roles; every role change is audited with who made it.

Before, the organiser could add a Role in /admin/ (member of any unit, organiser or expert of
any campaign) and then act as that unit. Only a superuser manages roles now.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tuixuan.common.models import AuditEvent
from tuixuan.units.demo import create_demo
from tuixuan.units.models import RecommendingUnit, Role, RoleKind


@pytest.fixture
def demo(gx):
    create_demo(gx)
    return gx


@pytest.fixture
def organiser(demo):
    return get_user_model().objects.get(username="zuzhi")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", password="x")


def _unit_member_form(organiser, unit):
    return {"user": organiser.pk, "kind": RoleKind.UNIT_MEMBER, "unit": unit.pk, "campaign": ""}


def test_an_organiser_cannot_make_itself_a_member_of_a_unit(client, demo, organiser):
    unit = RecommendingUnit.objects.get(code="nanning-cast")
    client.force_login(organiser)
    before = set(Role.objects.values_list("pk", flat=True))

    response = client.post(reverse("admin:units_role_add"), _unit_member_form(organiser, unit))

    assert response.status_code == 403
    assert set(Role.objects.values_list("pk", flat=True)) == before
    assert not organiser.has_perm("nominations.create_in_unit", unit)


def test_an_organiser_can_see_roles_but_not_change_or_remove_them(client, demo, organiser):
    role = Role.objects.get(user__username="nanning")
    client.force_login(organiser)

    assert client.get(reverse("admin:units_role_changelist")).status_code == 200
    change = client.post(
        reverse("admin:units_role_change", args=[role.pk]),
        {"user": organiser.pk, "kind": RoleKind.UNIT_MEMBER, "unit": role.unit_id},
    )
    delete = client.post(reverse("admin:units_role_delete", args=[role.pk]), {"post": "yes"})

    assert change.status_code == 403
    assert delete.status_code == 403
    role.refresh_from_db()
    assert role.user.username == "nanning"


def test_a_superuser_grants_and_revokes_roles_and_each_change_is_audited(
    client, demo, organiser, superuser
):
    unit = RecommendingUnit.objects.get(code="nanning-cast")
    client.force_login(superuser)

    response = client.post(reverse("admin:units_role_add"), _unit_member_form(organiser, unit))
    assert response.status_code == 302
    role = Role.objects.get(user=organiser, kind=RoleKind.UNIT_MEMBER)
    granted = AuditEvent.objects.get(action="role.grant")
    assert granted.actor == superuser
    assert granted.data == {"user": "zuzhi", "kind": "unit_member", "unit": "nanning-cast"}

    client.post(reverse("admin:units_role_delete", args=[role.pk]), {"post": "yes"})
    assert not Role.objects.filter(pk=role.pk).exists()
    revoked = AuditEvent.objects.get(action="role.revoke")
    assert (revoked.actor, revoked.data["user"]) == (superuser, "zuzhi")
