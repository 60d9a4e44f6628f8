"""Oversized requests are refused from their Content-Length, before the body is read.

The limit is derived from the campaigns: the largest set of photos a category allows (the unit's
page sends them together) or the largest stamped PDF, plus the form's text. Above it, the web and
the API answer 413 with a Chinese message at once; nothing reaches a temporary file.
"""

import socket
import time

import pytest

from tests.api.conftest import secret_for
from tests.conftest import complete_nomination
from tests.servers import gunicorn
from tuixuan.common.requests import upload_limit

GB = 1024**3


def test_the_limit_follows_the_campaigns_largest_upload(gx):
    largest = max(c.photo_max_bytes * c.photo_max for c in gx.categories.all())
    largest = max(largest, gx.stamped_pdf_max_bytes)
    assert largest < upload_limit() < largest + 8 * 1024 * 1024

    gx.categories.update(photo_max=10)
    assert upload_limit() > 10 * gx.categories.first().photo_max_bytes


def test_an_oversized_login_post_is_refused_with_413_before_it_is_read(client, gx):
    response = client.post("/accounts/login/", {"username": "x"}, CONTENT_LENGTH=str(2 * GB))
    assert response.status_code == 413
    assert "上传内容过大" in response.content.decode()
    assert "2048.0MB" in response.content.decode()


def test_an_oversized_photo_upload_to_the_api_is_413_json(client, gx, unit, member):
    draft = complete_nomination(member, gx, unit, "volunteer")
    token = secret_for(member)
    response = client.post(
        f"/api/v1/nominations/{draft.uid}/photos",
        {"file": b"x"},
        headers={"Authorization": f"Bearer {token}"},
        CONTENT_LENGTH=str(500 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert response.json()["message"].startswith("上传内容过大")
    assert draft.photos.count() == 2


def _send_headers_and_a_little(port, path, length):
    """What a client streaming a huge body does: headers, then the first megabyte."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: multipart/form-data; boundary=XX\r\n"
            f"Content-Length: {length}\r\n\r\n".encode()
        )
        conn.sendall(b"--XX\r\n" + b"x" * 1024 * 1024)
        started = time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer, time.monotonic() - started


@pytest.mark.django_db(transaction=True)
def test_gunicorn_answers_413_without_waiting_for_two_gigabytes(gx, tmp_path):
    temporary = tmp_path / "uploads"
    temporary.mkdir()
    env = {"TMPDIR": str(temporary)}
    with gunicorn(tmp_path, workers=2, env=env) as server:
        answer, _ = _send_headers_and_a_little(server.port, "/accounts/login/", 2 * GB)
    assert answer.startswith(b"HTTP/1.1 413")
    assert list(temporary.iterdir()) == []
