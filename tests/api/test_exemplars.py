"""Published exemplars for anyone: published only, public and non-personal fields only, ETags."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, complete_nomination, valid_values
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.showcase import services
from tuixuan.showcase.models import Publication

API = "/api/v1/exemplars/"
PERSONAL = valid_values("volunteer")


def selected(gx, unit, member, key="volunteer", **changes):
    nomination = complete_nomination(member, gx, unit, key, **changes)
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    Nomination.objects.filter(pk=nomination.pk).update(status=Status.SELECTED)
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def published(gx, unit, member, organiser):
    return services.publish(organiser, selected(gx, unit, member))


def test_anyone_lists_published_exemplars_with_public_fields_only(
    client, gx, unit, member, published
):
    complete_nomination(member, gx, unit, "volunteer", name="未公开的人")
    response = client.get(API)
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    [item] = data["items"]
    assert (item["id"], item["name"], item["category"], item["unit"], item["year"]) == (
        str(published.pk),
        "李秀梅",
        "volunteer",
        "nanning-cast",
        2024,
    )
    assert item["summary"] == PERSONAL["deeds"][:120]
    assert {p["size"] for p in item["photos"]} == {400}
    assert all(p["url"].startswith(f"/exemplars/{published.pk}/photos/") for p in item["photos"])
    assert "未公开的人" not in response.content.decode()


def test_detail_shows_public_rows_and_stories_and_nothing_personal(client, published):
    response = client.get(f"{API}{published.pk}")
    assert response.status_code == 200
    data = response.json()
    labels = [row["label"] for row in data["rows"]]
    assert data["stories"] and data["stories"][0]["text"] == PERSONAL["deeds"]
    assert {p["size"] for p in data["photos"]} == {400, 1280}
    text = json.dumps(data, ensure_ascii=False)
    for private in (PERSONAL["phone"], PERSONAL["address"], PERSONAL["political_status"]):
        assert private not in text
    assert "1978" not in text
    assert not any("电话" in label or "出生" in label for label in labels)


def test_a_scheduled_or_withdrawn_exemplar_is_not_shown(client, published):
    Publication.objects.filter(pk=published.pk).update(
        published_at=timezone.now() + timedelta(days=1)
    )
    assert client.get(API).json() == {"items": [], "count": 0}
    assert client.get(f"{API}{published.pk}").status_code == 404


@pytest.mark.parametrize("exemplar_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_exemplar_is_a_json_404(client, gx, exemplar_id):
    response = client.get(f"{API}{exemplar_id}")
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该先进典型。"


def test_filters_by_year_category_and_unit_and_pages(
    client, gx, unit, member, organiser, published
):
    services.publish(organiser, selected(gx, unit, member, "project"))

    def count(query):
        response = client.get(f"{API}?{query}")
        assert response.status_code == 200, response.json()
        return response.json()["count"], len(response.json()["items"])

    assert count("") == (2, 2)
    assert count("year=2024") == (2, 2)
    assert count("year=2023") == (0, 0)
    assert count("category=project") == (1, 1)
    assert count("unit=nanning-cast&category=volunteer") == (1, 1)
    assert count("unit=gx-agri-society") == (0, 0)
    assert count("limit=1") == (2, 1)
    assert count("limit=1&offset=1") == (2, 1)
    bad = client.get(f"{API}?year=二〇二四")
    assert bad.status_code == 422 and bad.json()["field"] == "year"
    assert client.get(f"{API}?limit=1000").status_code == 422


def test_answers_carry_an_etag_and_304_when_unchanged(
    client, gx, unit, member, organiser, published
):
    tags = {}
    for path in (API, f"{API}{published.pk}"):
        first = client.get(path)
        tags[path] = first["ETag"]
        assert tags[path] and "public" in first["Cache-Control"]
        again = client.get(path, headers={"If-None-Match": tags[path]})
        assert again.status_code == 304
        assert again.content == b""
    services.publish(organiser, selected(gx, unit, member, "project"))
    changed = client.get(API, headers={"If-None-Match": tags[API]})
    assert changed.status_code == 200 and changed["ETag"] != tags[API]
    assert changed.json()["count"] == 2


def test_exemplars_need_no_login_even_with_a_bad_token(client, published):
    response = client.get(API, headers={"Authorization": "Bearer tx_wrong"})
    assert response.status_code == 200
