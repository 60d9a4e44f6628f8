"""The OpenAPI schema and the docs page, which must load nothing from outside the site."""

import json
import re

from django.contrib.staticfiles import finders


def test_openapi_schema_is_json_with_every_path_and_both_ways_to_log_in(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "推选 · 科技志愿服务先进典型推选接口"
    assert schema["info"]["version"] == "1"
    assert {
        "/api/v1/campaigns/",
        "/api/v1/campaigns/{key}",
        "/api/v1/nominations/",
        "/api/v1/nominations/{uid}",
        "/api/v1/nominations/{uid}/report",
        "/api/v1/nominations/{uid}/submit",
        "/api/v1/nominations/{uid}/withdraw",
        "/api/v1/tokens/",
        "/api/v1/tokens/{token_id}",
        "/api/v1/nominations/{uid}/photos",
        "/api/v1/nominations/{uid}/photos/{photo_id}",
        "/api/v1/nominations/{uid}/photos/{photo_id}/move",
        "/api/v1/nominations/{uid}/stamped-pdf",
        "/api/v1/nominations/{uid}/form.docx",
        "/api/v1/nominations/{uid}/form.pdf",
        "/api/v1/office/{campaign}/nominations",
        "/api/v1/office/nominations/{uid}/accept",
        "/api/v1/office/nominations/{uid}/return",
        "/api/v1/office/{campaign}/auto-assign",
        "/api/v1/office/{campaign}/ranking/{category}",
        "/api/v1/office/{campaign}/ranking/{category}/shortlist",
        "/api/v1/office/{campaign}/exports",
        "/api/v1/office/exports/{export_id}",
        "/api/v1/office/exports/{export_id}/file",
        "/api/v1/reviews/assignments",
        "/api/v1/reviews/assignments/{assignment_id}/scores",
        "/api/v1/exemplars/",
        "/api/v1/exemplars/{exemplar_id}",
    } <= set(schema["paths"])
    schemes = schema["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} == {"http", "apiKey"}
    nomination = schema["paths"]["/api/v1/nominations/{uid}"]
    assert {"get", "put", "patch"} <= set(nomination)
    assert "422" in schema["paths"]["/api/v1/nominations/{uid}/submit"]["post"]["responses"]
    assert "security" not in schema["paths"]["/api/v1/campaigns/{key}"]["get"]
    assert "security" not in schema["paths"]["/api/v1/exemplars/"]["get"]


def test_uploads_are_multipart_and_forms_are_binary(client):
    paths = json.loads(client.get("/api/v1/openapi.json").content)["paths"]
    body = paths["/api/v1/nominations/{uid}/photos"]["post"]["requestBody"]["content"]
    assert list(body) == ["multipart/form-data"]
    docx = paths["/api/v1/nominations/{uid}/form.docx"]["get"]["responses"]["200"]["content"]
    [kind] = docx
    assert kind.endswith("wordprocessingml.document")
    assert docx[kind]["schema"] == {"type": "string", "format": "binary"}


def test_docs_page_loads_only_this_sites_static_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    for cdn in ("cdn.jsdelivr", "unpkg", "cdnjs", "googleapis", "validator.swagger.io"):
        assert cdn not in page
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", page)
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert all(a.startswith("/static/") for a in assets), assets
    assert '"validatorUrl": null' in page


def test_docs_assets_are_served_by_this_site(client):
    page = client.get("/api/v1/docs").content.decode()
    assets = re.findall(r"""(?:src|href)=["'](/static/[^"']+)["']""", page)
    assert len(assets) >= 3
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        b"".join(response.streaming_content)  # whitenoise streams; close the file


def test_json_answers_carry_chinese_as_utf8_text(client):
    response = client.get("/api/v1/nominations/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "请先登录".encode() in response.content


def test_the_schema_is_in_english_when_the_caller_asks_for_it(client):
    schema = json.loads(client.get("/api/v1/openapi.json", HTTP_ACCEPT_LANGUAGE="en").content)
    assert schema["info"]["title"].startswith("Tuixuan · API for selecting exemplars")
    submit = schema["paths"]["/api/v1/nominations/{uid}/submit"]["post"]
    assert (submit["summary"], submit["tags"]) == ("Submit a nomination", ["Nominations"])
    chinese = json.loads(client.get("/api/v1/openapi.json").content)
    assert chinese["paths"]["/api/v1/nominations/{uid}/submit"]["post"]["summary"] == "提交推荐"
