"""The smaller findings of the outside probe, each with its test.

Decoded-pixel bound, a lockout nobody can turn against a real user, NUL characters refused as
bad input, half-written upload files removed when a request dies, download names that say what
the file is, and Chinese 403 (CSRF) and 500 pages.
"""

import socket
import struct
import time
import zlib
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, RequestFactory
from django.utils import timezone

from tests.api.conftest import secret_for
from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tests.fixtures.images import jpeg_of_size
from tests.fixtures.pdfs import pdf_bytes
from tests.servers import gunicorn
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.common.views import server_error
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.review import services as review_services
from tuixuan.units.models import Participation

# Decoded-pixel bound ----------------------------------------------------------------------------


def _png_claiming(width, height, padded_to) -> bytes:
    """A PNG whose header claims ``width`` × ``height`` RGBA pixels, padded to a plausible size."""

    def chunk(kind, body):
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    start = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    data = chunk(b"IDAT", zlib.compress(b"\0" * (1 + 4 * width) * 64))
    padding = chunk(b"prVt", b"\0" * max(0, padded_to - len(start) - len(data) - 24))
    return start + data + padding + chunk(b"IEND", b"")


def test_a_small_png_claiming_huge_dimensions_is_refused_before_it_is_decoded(gx, unit, member):
    draft = complete_nomination(member, gx, unit, "volunteer", photos=0)
    bomb = _png_claiming(7745, 7745, padded_to=1_250_000)
    upload = SimpleUploadedFile("看看.png", bomb, content_type="image/png")

    with pytest.raises(Refused) as refused:
        services.add_photo(member, draft, upload, now=BEFORE_DEADLINE)

    assert refused.value.rule_id == "G6"
    assert "7745×7745像素" in refused.value.message
    assert "超过允许的" in refused.value.message
    assert draft.photos.count() == 0


def test_the_pixel_bound_follows_the_categorys_largest_photo(gx):
    volunteer = gx.categories.get(key="volunteer")
    assert volunteer.photo_max_pixels == volunteer.photo_max_bytes * 8
    assert 20_000_000 < volunteer.photo_max_pixels < 7745 * 7745


# Lockout ----------------------------------------------------------------------------------------


@pytest.fixture
def behind_the_proxy(settings, db):
    settings.TUIXUAN_TRUSTED_PROXIES = ["127.0.0.1"]
    get_user_model().objects.create_user("zuzhi", password="correct-horse")


def _login(address, password, username="zuzhi", remote="127.0.0.1"):
    client = Client(REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=address)
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_an_attacker_behind_the_proxy_locks_only_its_own_address(behind_the_proxy):
    for _ in range(5):
        _login("203.0.113.9", "guess")
    assert _login("203.0.113.9", "correct-horse").status_code == 429
    assert _login("198.51.100.7", "correct-horse").status_code == 302


def test_a_forged_forwarded_for_from_outside_the_proxy_is_ignored(behind_the_proxy):
    for n in range(5):
        _login(f"192.0.2.{n}", "guess", remote="10.9.9.9")
    assert _login("192.0.2.200", "correct-horse", remote="10.9.9.9").status_code == 429


def _failures_from_many_addresses(count):
    for n in range(count):
        _login(f"198.18.{n // 4}.{n % 4}", "guess")


def test_a_username_is_not_locked_by_failures_below_its_own_higher_limit(
    behind_the_proxy, settings
):
    _failures_from_many_addresses(settings.TUIXUAN_USERNAME_FAILURE_LIMIT - 1)
    assert _login("198.51.100.7", "correct-horse").status_code == 302


def test_a_username_is_locked_after_many_failures_from_everywhere(behind_the_proxy, settings):
    _failures_from_many_addresses(settings.TUIXUAN_USERNAME_FAILURE_LIMIT)
    assert _login("198.51.100.8", "correct-horse").status_code == 429


# NUL characters ---------------------------------------------------------------------------------

NUL = "王\x00小明"


@pytest.fixture
def world(gx, unit, member, organiser):
    Participation.objects.update(extension_until=timezone.now() + timedelta(days=30))
    draft = complete_nomination(member, gx, unit, "volunteer")
    handed_in = complete_nomination(member, gx, unit, "volunteer", name="李四")
    services.submit(member, handed_in)
    shortlisted = complete_nomination(member, gx, unit, "project")
    services.submit(member, shortlisted)
    Nomination.objects.filter(pk=shortlisted.pk).update(status=Status.SHORTLISTED)
    shortlisted.refresh_from_db()
    yesterday = date.today() - timedelta(days=1)  # its end typed in: counting may be refused
    announcement = review_services.announce(
        organiser, gx, [shortlisted], starts_on=yesterday, ends_on=yesterday + timedelta(days=14)
    )
    return {
        "draft": draft,
        "handed_in": handed_in,
        "shortlisted": shortlisted,
        "announcement": announcement,
        "member": member,
        "organiser": organiser,
    }


def _json(client, method, url, body, token=None):
    import json

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    data = json.dumps(body, ensure_ascii=False)
    return client.generic(method, url, data, content_type="application/json", headers=headers)


NUL_REQUESTS = {
    "api withdraw reason": lambda c, w: _json(
        c, "POST", f"/api/v1/nominations/{w['draft'].uid}/withdraw", {"reason": NUL},
        secret_for(w["member"]),
    ),
    "api new draft": lambda c, w: _json(
        c, "POST", "/api/v1/nominations/",
        {"campaign": "gx-2024", "category": "volunteer", "unit": "nanning-cast",
         "values": {"name": NUL}},
        secret_for(w["member"]),
    ),
    "api edit": lambda c, w: _json(
        c, "PATCH", f"/api/v1/nominations/{w['draft'].uid}", {"values": {"projects": NUL}},
        secret_for(w["member"]),
    ),
    "api return reason": lambda c, w: _json(
        c, "POST", f"/api/v1/office/nominations/{w['handed_in'].uid}/return", {"reason": NUL},
        secret_for(w["organiser"]),
    ),
    "api token name": lambda c, w: (
        c.force_login(w["member"]), _json(c, "POST", "/api/v1/tokens/", {"name": NUL})
    )[1],
    "api query": lambda c, w: c.get(
        "/api/v1/nominations/?campaign=gx%002024",
        headers={"Authorization": f"Bearer {secret_for(w['member'])}"},
    ),
    "web withdraw reason": lambda c, w: (
        c.force_login(w["member"]), c.post(f"/n/{w['draft'].uid}/withdraw/", {"reason": NUL})
    )[1],
    "web save draft": lambda c, w: (
        c.force_login(w["member"]),
        c.post(f"/n/{w['draft'].uid}/", {"action": "save", "name": NUL}),
    )[1],
    "web return reason": lambda c, w: (
        c.force_login(w["organiser"]),
        c.post(f"/office/n/{w['handed_in'].uid}/return/", {"reason": NUL}),
    )[1],
    "public objection": lambda c, w: c.post(
        f"/gongshi/{w['announcement'].pk}/",
        {"nomination": str(w["shortlisted"].uid), "name": "张三", "contact": "13900000000",
         "content": NUL},
    ),
}  # fmt: skip


@pytest.mark.parametrize("request_", sorted(NUL_REQUESTS))
def test_a_nul_character_anywhere_is_a_clear_4xx_and_changes_nothing(client, world, request_):
    events = AuditEvent.objects.count()
    rows = sorted(Nomination.objects.values_list("pk", "status", "values"))

    response = NUL_REQUESTS[request_](client, world)

    # Pages answer 400 with a page; the API 422 like any invalid value, naming the field; the
    # nomination form shows itself again with the field marked, keeping what was typed.
    assert response.status_code == (422 if request_.startswith("api") else 400)
    said = "填写内容有误" if request_ == "web save draft" else "含有空字符"
    assert said in response.content.decode()
    assert AuditEvent.objects.count() == events
    assert sorted(Nomination.objects.values_list("pk", "status", "values")) == rows


# Half-written uploads ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_temporary_file_of_an_upload_cut_off_by_a_dying_client_is_removed(gx, tmp_path):
    temporary = tmp_path / "uploads"
    temporary.mkdir()
    with gunicorn(tmp_path, workers=1, env={"TMPDIR": str(temporary)}) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as conn:
            conn.sendall(
                b"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: multipart/form-data; boundary=XX\r\n"
                b"Content-Length: 3000000\r\n\r\n"
                b'--XX\r\nContent-Disposition: form-data; name="photos"; filename="a.jpg"\r\n'
                b"Content-Type: image/jpeg\r\n\r\n" + b"\xff" * 2_000_000
            )
            time.sleep(0.5)
            assert list(temporary.iterdir())  # the upload was being written to disk
        deadline = time.monotonic() + 10
        while list(temporary.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert list(temporary.iterdir()) == []
        assert server.request("GET", "/healthz")[0] == 200


# Download names ---------------------------------------------------------------------------------


def test_downloads_are_named_for_what_the_file_really_is(client, gx, unit, member):
    draft = complete_nomination(member, gx, unit, "volunteer", photos=0)
    photo = SimpleUploadedFile("现场.png", jpeg_of_size(1_500_000), content_type="image/png")
    services.add_photo(member, draft, photo, now=BEFORE_DEADLINE)
    services.attach_stamped_pdf(
        member, draft, SimpleUploadedFile("盖章表.jpg", pdf_bytes()), now=BEFORE_DEADLINE
    )
    client.force_login(member)

    pdf = client.get(f"/n/{draft.uid}/stamped-pdf/file/")
    api_pdf = client.get(f"/api/v1/nominations/{draft.uid}/stamped-pdf/file")
    picture = client.get(f"/n/{draft.uid}/photos/{draft.photos.get().pk}/")

    for response in (pdf, api_pdf):
        assert response["Content-Disposition"].endswith(".pdf"), response["Content-Disposition"]
        assert "%E7%9B%96%E7%AB%A0%E8%A1%A8.pdf" in response["Content-Disposition"]  # 盖章表.pdf
    assert picture["Content-Type"] == "image/jpeg"
    assert picture["Content-Disposition"].endswith("%E7%8E%B0%E5%9C%BA.jpg")  # 现场.jpg


# Chinese 403 (CSRF) and 500 pages ---------------------------------------------------------------


def test_a_form_posted_without_its_csrf_token_gets_a_chinese_403_page(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "页面已过期或缺少安全校验" in page
    assert "CSRF verification failed" not in page


def test_the_500_page_is_chinese_and_the_api_gets_json(db):
    page = server_error(RequestFactory().get("/exemplars/"))
    assert page.status_code == 500
    assert "服务器内部错误" in page.content.decode()
    api = server_error(RequestFactory().get("/api/v1/campaigns/"))
    assert api["Content-Type"].startswith("application/json")


def test_a_failing_page_shows_the_chinese_500_page(db, monkeypatch):
    from tuixuan.showcase import views

    def broken(*args, **kwargs):
        raise RuntimeError("defect")

    monkeypatch.setattr(views, "_filter_choices", broken)  # what the list reads first
    response = Client(raise_request_exception=False).get("/exemplars/?year=2099")
    assert response.status_code == 500
    assert "服务器内部错误" in response.content.decode()
