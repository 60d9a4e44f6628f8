"""Passwords hashed with Django's argon2 parameters keep working and move to ours at login."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

import tuixuan.settings as project_settings

DJANGOS = "m=102400,t=2,p=8"
OWASP = "m=19456,t=2,p=1"


@pytest.fixture
def deployed_hashers(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


@pytest.fixture
def old_hash_user(db, deployed_hashers):
    """A member whose password was set before this change, with Django's own argon2 defaults."""
    return get_user_model().objects.create(
        username="liuzhou", password=make_password("correct-horse", hasher=Argon2PasswordHasher())
    )


def test_a_new_password_is_hashed_with_the_owasp_argon2id_parameters(db, deployed_hashers):
    user = get_user_model().objects.create_user("wuzhou", password="a-long-passphrase")
    assert user.password.startswith(f"argon2$argon2id$v=19${OWASP}$")


def test_an_old_argon2_hash_logs_in_and_is_rehashed_with_the_new_parameters(client, old_hash_user):
    assert DJANGOS in old_hash_user.password
    response = client.post("/accounts/login/", {"username": "liuzhou", "password": "correct-horse"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(old_hash_user.pk)
    old_hash_user.refresh_from_db()
    assert old_hash_user.password.startswith(f"argon2$argon2id$v=19${OWASP}$")
    again = client.post("/accounts/login/", {"username": "liuzhou", "password": "correct-horse"})
    assert again.status_code == 302  # the new hash verifies the same password


def test_a_wrong_password_neither_logs_in_nor_changes_the_old_hash(client, old_hash_user):
    before = old_hash_user.password
    response = client.post("/accounts/login/", {"username": "liuzhou", "password": "wrong-horse"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session
    old_hash_user.refresh_from_db()
    assert old_hash_user.password == before
