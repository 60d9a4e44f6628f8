"""Personal API tokens: created and revoked by their user, stored hashed, acting as that user."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.api.conftest import as_user, call, secret_for
from tests.conftest import complete_nomination
from tuixuan.api.auth import LAST_USED_RESOLUTION
from tuixuan.api.models import ApiToken
from tuixuan.common.models import AuditEvent

pytestmark = pytest.mark.usefixtures("extended")


def test_anonymous_caller_cannot_create_a_token(client, gx):
    response = call(client, "post", "/tokens/", {"name": "脚本"})
    assert response.status_code == 401
    assert not ApiToken.objects.exists()


def test_logged_in_user_creates_a_token_and_sees_the_secret_once(client, member):
    client = as_user(client, member)
    response = call(client, "post", "/tokens/", {"name": "批量导入脚本"})
    assert response.status_code == 201
    created = response.json()
    secret = created["token"]
    assert secret.startswith("tx_") and len(secret) > 40
    assert created["prefix"] == secret[:11]
    assert created["name"] == "批量导入脚本"

    listed = call(client, "get", "/tokens/").json()
    assert [t["id"] for t in listed] == [created["id"]]
    assert "token" not in listed[0]
    assert secret not in call(client, "get", "/tokens/").content.decode()
    assert AuditEvent.objects.filter(action="api_token.create", actor=member).exists()


def test_the_stored_token_row_holds_no_secret_in_any_column(client, member):
    secret = call(as_user(client, member), "post", "/tokens/", {"name": "脚本"}).json()["token"]
    row = ApiToken.objects.values().get()
    for column, value in row.items():
        assert secret not in str(value), column
        assert secret[11:] not in str(value), column  # not even the part after the prefix


def test_a_token_name_is_required(client, member):
    response = call(as_user(client, member), "post", "/tokens/", {"name": ""})
    assert response.status_code == 422
    assert response.json()["errors"] == {"name": "“名称”：必须填写。"}
    assert not ApiToken.objects.exists()


def test_a_bearer_token_acts_as_its_user(client, gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    secret = secret_for(member)
    response = call(client, "get", "/nominations/", token=secret)
    assert response.status_code == 200
    assert [i["uid"] for i in response.json()["items"]] == [str(nomination.uid)]
    assert ApiToken.objects.get().last_used_at is not None


def test_a_bearer_token_writes_without_a_csrf_token(gx, unit, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    body = {
        "campaign": "gx-2024",
        "category": "volunteer",
        "unit": unit.code,
        "values": {"name": "李秀梅"},
    }
    response = call(client, "post", "/nominations/", body, token=secret_for(member))
    assert response.status_code == 201
    assert response.json()["name"] == "李秀梅"


def test_a_token_reaches_no_further_than_its_user(client, gx, other_unit, outsider, member):
    elsewhere = complete_nomination(outsider, gx, other_unit, "volunteer", photos=0)
    secret = secret_for(member)
    assert call(client, "get", f"/nominations/{elsewhere.uid}", token=secret).status_code == 404
    body = {"values": {"name": "篡改"}}
    patch = call(client, "patch", f"/nominations/{elsewhere.uid}", body, token=secret)
    assert patch.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.values["name"] == "李秀梅"


def test_a_revoked_token_is_refused_with_401(client, member, gx):
    client = as_user(client, member)
    created = call(client, "post", "/tokens/", {"name": "脚本"}).json()
    response = call(client, "delete", f"/tokens/{created['id']}")
    assert response.status_code == 200
    assert response.json()["revoked_at"]
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=member).exists()

    client.logout()
    refused = call(client, "get", "/nominations/", token=created["token"])
    assert refused.status_code == 401
    assert refused.json()["message"] == "API令牌无效或已撤销，请重新创建令牌。"


def test_an_unknown_token_is_refused_even_with_a_session(client, member, gx):
    response = call(as_user(client, member), "get", "/nominations/", token="tx_guessed")
    assert response.status_code == 401


def test_a_token_cannot_manage_tokens(client, member):
    secret = secret_for(member)
    assert call(client, "get", "/tokens/", token=secret).status_code == 401
    assert call(client, "post", "/tokens/", {"name": "再造"}, token=secret).status_code == 401
    assert ApiToken.objects.count() == 1


def test_a_user_cannot_revoke_someone_elses_token(client, member):
    other = get_user_model().objects.create_user("someone", password="x")
    ApiToken.issue(other, "别人的令牌")
    theirs = ApiToken.objects.get(user=other)
    response = call(as_user(client, member), "delete", f"/tokens/{theirs.pk}")
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_a_user_lists_only_their_own_tokens(client, member):
    other = get_user_model().objects.create_user("someone", password="x")
    ApiToken.issue(other, "别人的令牌")
    ApiToken.issue(member, "我的令牌")
    listed = call(as_user(client, member), "get", "/tokens/").json()
    assert [t["name"] for t in listed] == ["我的令牌"]


def test_a_token_of_a_deactivated_user_is_refused(client, member, gx):
    secret = secret_for(member)
    member.is_active = False
    member.save()
    assert call(client, "get", "/nominations/", token=secret).status_code == 401


def test_a_token_used_a_moment_ago_is_refused_as_soon_as_it_is_revoked(client, member, gx):
    secret = secret_for(member)
    assert call(client, "get", "/nominations/", token=secret).status_code == 200
    ApiToken.objects.update(revoked_at=timezone.now())
    assert call(client, "get", "/nominations/", token=secret).status_code == 401


def test_the_token_of_an_inactive_user_is_refused(client, member, gx):
    secret = secret_for(member)
    get_user_model().objects.filter(pk=member.pk).update(is_active=False)
    assert call(client, "get", "/nominations/", token=secret).status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(client, member, gx):
    secret = secret_for(member)
    assert call(client, "get", "/nominations/", token=secret).status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert call(client, "get", "/nominations/", token=secret).status_code == 200
    assert ApiToken.objects.get().last_used_at == first
    long_ago = first - LAST_USED_RESOLUTION - timedelta(seconds=1)
    ApiToken.objects.update(last_used_at=long_ago)
    assert call(client, "get", "/nominations/", token=secret).status_code == 200
    assert ApiToken.objects.get().last_used_at > first
