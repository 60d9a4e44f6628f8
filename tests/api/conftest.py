"""Helpers for the API tests: JSON calls, a granted extension, and people on both sides."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import complete_nomination, make_member
from tuixuan.api.models import ApiToken

API = "/api/v1"


@pytest.fixture
def extended(unit, other_unit):
    """The API runs at today's date, long after the 2025 deadline: extend both units."""
    for each in (unit, other_unit):
        each.participations.update(extension_until=timezone.now() + timedelta(days=30))
    return unit


@pytest.fixture
def outsider(other_unit):
    """A member of another recommending unit in the same campaign."""
    return make_member(other_unit)


@pytest.fixture
def draft(gx, unit, member):
    """A complete volunteer draft of ``unit`` (photos included), ready to submit."""
    return complete_nomination(member, gx, unit, "volunteer")


def call(client, method, path, body=None, token=None, headers=None):
    headers = dict(headers or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    kwargs = {"headers": headers}
    if method != "get":  # like curl: JSON, or an empty body
        data = "" if body is None else json.dumps(body, ensure_ascii=False)
        kwargs.update(data=data, content_type="application/json")
    return getattr(client, method)(API + path, **kwargs)


def as_user(client, user):
    client.force_login(user)
    return client


def secret_for(user, name="脚本"):
    return ApiToken.issue(user, name)[1]


def upload(client, path, file, token=None, field="file"):
    """A multipart upload, like ``curl -F file=@photo.jpg``."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(API + path, {field: file}, headers=headers)


def expert(campaign, name="judge"):
    from django.contrib.auth import get_user_model

    from tuixuan.units.models import Role, RoleKind

    user = get_user_model().objects.create_user(name, password="x")
    Role.objects.create(user=user, kind=RoleKind.REVIEWER, campaign=campaign)
    return user


@pytest.fixture
def judge(gx):
    """An expert of the campaign."""
    return expert(gx)


@pytest.fixture
def submitted(gx, unit, member):
    """A complete volunteer nomination of ``unit``, submitted."""
    from tests.conftest import BEFORE_DEADLINE
    from tuixuan.nominations import services

    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def accepted(submitted, organiser):
    from tuixuan.nominations import services

    services.accept(organiser, submitted)
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def assignment(accepted, organiser, judge):
    from tuixuan.review import services

    return services.assign(organiser, accepted, judge)
