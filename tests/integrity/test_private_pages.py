"""Only pages that are the same for everyone are cached, and never one person's message.

Before, a unit's flash message ("……已撤回，名额已释放。") was cached into /exemplars/ and shown to
anonymous visitors, and public pages served to logged-in users said ``Cache-Control: public``
without ``Vary: Cookie``. Now only requests without a session or message cookie are served from
and stored in the cache; everything a logged-in person sees is ``private, no-store``.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from tests.conftest import complete_nomination
from tuixuan.units.models import Participation

PUBLIC_PAGES = ["/exemplars/", "/campaigns/gx-2024/"]


@pytest.fixture(autouse=True)
def empty_cache(db):
    cache.clear()


@pytest.fixture
def draft(gx, unit, member):
    Participation.objects.update(extension_until=timezone.now() + timedelta(days=30))
    return complete_nomination(member, gx, unit, "volunteer")


def test_a_units_message_never_reaches_an_anonymous_visitor(client, draft, member):
    client.force_login(member)
    client.post(f"/n/{draft.uid}/withdraw/", {"reason": ""})  # leaves "……已撤回" pending

    theirs = client.get("/exemplars/")
    anonymous = Client().get("/exemplars/")

    assert "已撤回" in theirs.content.decode()
    assert "private" in theirs["Cache-Control"] and "no-store" in theirs["Cache-Control"]
    assert "已撤回" not in anonymous.content.decode()
    assert "已撤回" not in Client().get("/exemplars/").content.decode()  # nor from the cache


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_are_public_for_visitors_and_private_for_logged_in_users(
    client, gx, member, path
):
    anonymous = Client().get(path)
    assert anonymous.status_code == 200
    assert "public" in anonymous["Cache-Control"]
    assert "Cookie" in anonymous["Vary"]

    client.force_login(member)
    logged_in = client.get(path)
    assert logged_in.status_code == 200
    assert "public" not in logged_in["Cache-Control"]
    assert "private" in logged_in["Cache-Control"] and "no-store" in logged_in["Cache-Control"]


def test_a_logged_in_page_is_never_stored_in_the_shared_cache(client, gx, member):
    client.force_login(member)
    client.get("/exemplars/?year=2024")
    assert not any(":/exemplars/?year=2024" in key for key in _cached_keys())


def _cached_keys():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM tuixuan_cache")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize(
    "path",
    ["/my/", "/n/{uid}/", "/api/v1/nominations/", "/api/v1/nominations/{uid}"],
)
def test_pages_with_personal_data_say_private_no_store(client, draft, member, path):
    client.force_login(member)
    response = client.get(path.format(uid=draft.uid), follow=True)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
