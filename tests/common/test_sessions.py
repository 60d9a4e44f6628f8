"""Sessions read by prepared statements (common/sessions.py) end exactly when Django's did: at
log-out, at a password change elsewhere, at expiry, for an inactive user; and a session made
before the change (naming Django's ModelBackend) is still the same login."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils import timezone

from tuixuan.common.sessions import DJANGO_MODEL_BACKEND, MODEL_BACKEND, _user_by_pk

PROFILE = "/account/profile/"  # any page for logged-in people
PASSWORD = "a long enough password 1"


def logged_in(client, member):
    member.set_password(PASSWORD)
    member.save()
    log_in(client, member)
    assert client.get(PROFILE).status_code == 200
    return client.cookies["sessionid"].value


def log_in(client, member):
    """Through the login page, as a person does (django-axes wants the request)."""
    response = client.post("/accounts/login/", {"username": member.username, "password": PASSWORD})
    assert response.status_code == 302


def is_sent_to_log_in(client) -> bool:
    response = client.get(PROFILE)
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_login_names_this_backend_and_logging_out_deletes_the_session(client, member):
    key = logged_in(client, member)
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_backend"] == (
        MODEL_BACKEND
    )
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()
    client.cookies["sessionid"] = key  # the old cookie, replayed
    assert is_sent_to_log_in(client)


def test_a_password_change_ends_the_other_sessions(client, member, django_user_model):
    from django.test import Client

    elsewhere = Client()
    logged_in(client, member)
    log_in(elsewhere, member)
    user = django_user_model.objects.get(pk=member.pk)
    user.set_password("another long password 2")
    user.save()
    assert is_sent_to_log_in(client) and is_sent_to_log_in(elsewhere)


def test_an_expired_session_and_an_inactive_user_are_logged_out(client, member, other_unit):
    key = logged_in(client, member)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(1))
    assert is_sent_to_log_in(client)
    logged_in(client, member)
    get_user_model().objects.filter(pk=member.pk).update(is_active=False)
    assert is_sent_to_log_in(client)


def test_a_session_from_before_names_djangos_backend_and_stays_logged_in(client, member):
    client.force_login(member, backend=DJANGO_MODEL_BACKEND)
    assert client.get(PROFILE).status_code == 200


def test_the_prepared_user_is_the_orms_user(member):
    orm = get_user_model().objects.get(pk=member.pk)
    prepared = _user_by_pk.first(member.pk)
    fields = [field.attname for field in get_user_model()._meta.concrete_fields]
    assert [getattr(prepared, name) for name in fields] == [getattr(orm, name) for name in fields]
    assert timezone.is_aware(prepared.date_joined) and not prepared._state.adding
    assert _user_by_pk.first(-1) is None


def test_a_prepared_query_refuses_a_placeholder_it_cannot_find(member):
    import pytest

    from tuixuan.common.prepared import Param, Prepared

    by_name = Prepared(lambda name: get_user_model().objects.filter(is_staff=False), Param("x"))
    with pytest.raises(ValueError, match="placeholder"):
        by_name.first("anyone")
