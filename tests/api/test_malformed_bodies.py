"""A malformed or unsupported request body answers 400 or 415 as JSON in Chinese, never 500.

Found by an outside schemathesis run: ``Content-Type: multipart/form-data`` without a boundary
made the photo and stamped-PDF uploads answer 500 (with the debug traceback under ``make run``).
Every operation that takes a body is tried here with each kind of bad body, and so are the unit's
web upload forms; nothing may change.
"""

import pytest

from tests.api.conftest import API, expert, secret_for
from tuixuan.api.api import api
from tuixuan.common.models import AuditEvent
from tuixuan.nominations.models import Nomination

SCHEMA = api.get_openapi_schema()
WITH_BODY = sorted(
    (method, path)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
    if "requestBody" in operation
)
GETS = sorted(
    path for path, operations in SCHEMA["paths"].items() for method in operations if method == "get"
)
MULTIPART = "multipart/form-data"
TRUNCATED = (
    b'--XX\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\n'
    b"Content-Type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0 the upload stops here"
)
NOT_AN_OBJECT = b'["\xe5\xa7\x93\xe5\x90\x8d", 1]'


def _content_types(operation) -> set:
    return set(operation["requestBody"]["content"])


@pytest.fixture
def everyone(extended, gx, draft, member, organiser):
    judge = expert(gx)
    return {
        "member": secret_for(member),
        "organiser": secret_for(organiser),
        "reviewer": secret_for(judge),
        "uid": str(draft.uid),
        "member_user": member,
    }


def _url(path, everyone):
    filled = (
        path.replace("{uid}", everyone["uid"])
        .replace("{campaign}", "gx-2024")
        .replace("{category}", "volunteer")
    )
    for name in ("photo_id", "assignment_id", "flag_id", "token_id", "export_id", "exemplar_id"):
        filled = filled.replace("{" + name + "}", "1")
    return filled


def _token(path, everyone):
    if "/office/" in path:
        return everyone["organiser"]
    if "/reviews/" in path:
        return everyone["reviewer"]
    return everyone["member"]


def _send(client, method, path, everyone, content_type, body):
    if "/tokens/" in path:  # tokens are managed from a browser session, never with a token
        client.force_login(everyone["member_user"])
        headers = {}
    else:
        headers = {"Authorization": f"Bearer {_token(path, everyone)}"}
    url = _url(path, everyone)
    return client.generic(method.upper(), url, body, content_type=content_type, headers=headers)


def _cases(method, path):
    operation = SCHEMA["paths"][path][method]
    if MULTIPART in _content_types(operation):
        return [
            (MULTIPART, b"--XX\r\n\r\n", 400),  # no boundary at all
            (f"{MULTIPART}; boundary=XX", TRUNCATED, 400),  # cut before the closing boundary
            (f"{MULTIPART}; boundary=XX; charset=gb-nonsense", TRUNCATED, 415),
        ]
    return [
        ("application/json", NOT_AN_OBJECT, 400),
        ("application/json", b'{"values": {"name": ', 400),  # JSON cut off
        ("application/json; charset=x-unknown", b"{}", 415),
        ("text/plain", b"\xe5\xa7\x93\xe5\x90\x8d=\xe6\x9d\x8e", 400),
    ]


def _snapshot():
    return (
        AuditEvent.objects.count(),
        sorted(Nomination.objects.values_list("pk", "status", "values")),
    )


@pytest.mark.parametrize(("method", "path"), WITH_BODY, ids=[f"{m} {p}" for m, p in WITH_BODY])
def test_every_bad_body_is_a_chinese_4xx_and_changes_nothing(client, everyone, method, path):
    before = _snapshot()
    for content_type, body, expected in _cases(method, path):
        response = _send(client, method, path, everyone, content_type, body)
        assert response.status_code == expected, (content_type, response.content)
        assert response["Content-Type"].startswith("application/json")
        message = response.json()["message"]
        assert message and not message.isascii(), message
    assert _snapshot() == before


@pytest.mark.parametrize("path", GETS)
def test_a_body_on_a_get_is_refused_with_400(client, everyone, path):
    response = _send(client, "get", path, everyone, "application/json", b"{}")
    assert response.status_code == 400
    assert response.json()["message"].startswith("GET 请求不能带请求内容")


def test_a_method_the_operation_does_not_have_is_405_json_naming_the_allowed_ones(client, everyone):
    response = _send(client, "get", f"{API}/nominations/{{uid}}/submit", everyone, "", b"")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert response.json()["message"] == "该接口不支持 GET 请求；可用的请求方法：POST。"


def test_an_unknown_api_address_is_404_json(client, everyone):
    response = client.get(f"{API}/no-such-thing/")
    assert response.status_code == 404
    assert response.json()["message"].startswith("没有这个接口")


@pytest.mark.parametrize(
    ("content_type", "body", "status", "says"),
    [
        (MULTIPART, b"--XX\r\n", 400, "缺少有效的 boundary"),
        (f"{MULTIPART}; boundary=XX", TRUNCATED, 400, "上传内容不完整"),
        (f"{MULTIPART}; boundary=XX; charset=gb-nonsense", TRUNCATED, 415, "不支持的字符集"),
    ],
    ids=["no boundary", "truncated", "unknown charset"],
)
@pytest.mark.parametrize("form", ["photos", "stamped-pdf"])
def test_the_web_upload_forms_refuse_bad_bodies_with_a_chinese_page(
    client, draft, member, form, content_type, body, status, says
):
    client.force_login(member)
    before = _snapshot(), draft.photos.count(), draft.attachments.count()

    response = client.generic("POST", f"/n/{draft.uid}/{form}/", body, content_type=content_type)

    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert says in response.content.decode()
    assert (_snapshot(), draft.photos.count(), draft.attachments.count()) == before


def _error_body(schema) -> bool:
    """The error body's schema: ErrorOut, or one built on it (RulesNotMetOut adds the report)."""
    name = schema.get("$ref", "").rsplit("/", 1)[-1]
    properties = SCHEMA["components"]["schemas"].get(name, {}).get("properties", {})
    return {"rule_id", "field", "message", "errors"} <= set(properties)


def test_every_operation_declares_the_errors_it_can_answer_with_the_error_body():
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            responses = {str(status): answer for status, answer in operation["responses"].items()}
            shared = {"400", "413", "415", "500"}
            if operation.get("security"):
                shared.add("401")
                if method != "get":
                    shared.add("403")
            assert shared <= set(responses), (method, path, sorted(responses))
            for status in shared:
                schema = responses[status]["content"]["application/json"]["schema"]
                assert _error_body(schema), (method, path, status)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "make run"])
def test_a_defect_in_an_operation_is_answered_as_json_without_a_traceback(
    client, everyone, settings, monkeypatch, debug
):
    from tuixuan.nominations import services

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail 13807710001")

    settings.DEBUG = debug
    monkeypatch.setattr(services, "submit", broken)
    response = _send(client, "post", f"{API}/nominations/{{uid}}/submit", everyone, "", b"")

    assert response.status_code == 500
    assert response.json()["message"].startswith("服务器内部错误")
    assert b"Traceback" not in response.content
    assert b"13807710001" not in response.content
