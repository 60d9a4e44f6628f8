"""Public reads of campaigns: categories with their form fields and criteria, and ETags."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import call


def test_campaign_list_is_public_and_names_each_campaign(client, gx):
    response = call(client, "get", "/campaigns/")
    assert response.status_code == 200
    listed = {c["key"]: c for c in response.json()}
    assert set(listed) == {"gx-2024", "national-2024-example"}  # gx-2024 and its parent
    campaign = listed["gx-2024"]
    assert campaign["title"] == gx.title
    assert campaign["document_number"] == "桂科协组发〔2025〕7号"
    assert campaign["is_open"] is False  # today is after 2025-02-13


def test_campaign_detail_gives_every_category_with_its_fields_and_criteria(client, gx):
    response = call(client, "get", "/campaigns/gx-2024")
    assert response.status_code == 200
    data = response.json()
    assert [c["key"] for c in data["categories"]] == [
        "volunteer",
        "organisation",
        "project",
        "service-point",
    ]
    assert {c["rule_id"] for c in data["criteria"]} >= {"G1", "G2", "G3", "G4", "G6"}
    organisation = data["categories"][1]
    assert organisation["quota"] == 3
    assert organisation["photos"]["min"] == 2 and organisation["photos"]["max"] == 2
    field = next(f for f in organisation["fields"] if f["key"] == "registered_volunteers")
    assert field["label"] == "注册科技志愿者人数"
    assert (field["kind"], field["required"]) == ("integer", True)
    o2 = next(c for c in organisation["criteria"] if c["rule_id"] == "O2")
    assert o2["check"] == "min" and o2["field"] == "registered_volunteers"
    assert o2["severity"] == "error" and "20" in o2["text"]
    gender = next(f for f in data["categories"][0]["fields"] if f["key"] == "gender")
    assert gender["options"]["choices"] == ["男", "女"]


def test_campaign_detail_takes_a_fixed_number_of_queries(client, gx):
    with CaptureQueriesContext(connection) as queries:
        assert call(client, "get", "/campaigns/gx-2024").status_code == 200
    assert len(queries) <= 5


def test_unknown_campaign_is_a_json_404_in_chinese(client, gx):
    response = call(client, "get", "/campaigns/no-such-campaign")
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该推选活动。"


def test_campaign_read_again_with_its_etag_is_304_until_the_campaign_changes(client, gx):
    first = call(client, "get", "/campaigns/gx-2024")
    etag = first["ETag"]
    assert etag.startswith('"') and len(etag) > 10

    again = call(client, "get", "/campaigns/gx-2024", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    gx.title = gx.title + "（更正）"
    gx.save()
    changed = call(client, "get", "/campaigns/gx-2024", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json()["title"].endswith("（更正）")


def test_campaign_list_answers_304_to_its_own_etag(client, gx):
    etag = call(client, "get", "/campaigns/")["ETag"]
    response = call(client, "get", "/campaigns/", headers={"If-None-Match": f'"other", {etag}'})
    assert response.status_code == 304
    assert (
        call(client, "get", "/campaigns/", headers={"If-None-Match": '"other"'}).status_code == 200
    )
