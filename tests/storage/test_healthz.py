"""/healthz answers 200 only when the database, the cache and the storage each answer, and
otherwise 503 naming what failed; /livez answers without touching any of them."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, use_storage
from tests.fixtures.s3 import make_bucket, s3_environment, s3_server
from tests.servers import free_port


def failed_parts(response) -> str:
    return response.content.decode().splitlines()[0]


@pytest.mark.django_db
def test_healthz_is_ok_when_database_cache_and_bucket_answer_and_leaves_nothing_behind(
    client, in_s3
):
    from django.core.files.storage import default_storage

    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
    assert response["Cache-Control"] == "no-store"
    assert default_storage.listdir("healthz") == ([], [])


@pytest.mark.django_db
def test_healthz_names_the_storage_when_the_s3_server_stops(client, settings, monkeypatch):
    from tuixuan.settings import _s3_storage

    with s3_server() as endpoint:
        bucket = make_bucket(endpoint, "healthz-bucket")
        for name, value in s3_environment(endpoint, bucket).items():
            monkeypatch.setenv(name, value)
        settings.STORAGES = {**settings.STORAGES, "s3": _s3_storage()}
        use_storage(settings, "s3")
        assert client.get("/healthz").status_code == 200
    response = client.get("/healthz")  # the server is gone now

    assert response.status_code == 503
    text = response.content.decode()
    assert failed_parts(response) == "failed: storage"
    assert "database 数据库: ok" in text and "cache 缓存: ok" in text
    assert "storage 文件存储: failed (" in text
    for secret in (endpoint, bucket, os.environ["TUIXUAN_S3_SECRET_KEY"]):
        assert secret not in text


@pytest.mark.django_db
def test_healthz_names_the_cache_when_redis_does_not_answer(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert failed_parts(response) == "failed: cache"
    assert "storage 文件存储: ok" in response.content.decode()


PROBE = """
import json, django
django.setup()
from django.test import Client
answers = {path: Client().get(path) for path in ("/healthz", "/livez")}
print(json.dumps({path: [r.status_code, r.content.decode()] for path, r in answers.items()}))
"""


def test_healthz_names_the_database_and_cache_when_postgresql_is_unreachable_livez_stays_ok(
    tmp_path,
):
    """A real process whose database server does not answer (nothing listens on its port); the
    cache is a table in that database, so it fails too. /livez touches neither."""
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("TUIXUAN_")
    }
    answered = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={
            **environment,
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "tuixuan.settings",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{free_port()}/nowhere",
            "TUIXUAN_VAR_DIR": str(tmp_path),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    answers = json.loads(answered.stdout.strip().splitlines()[-1])
    status, text = answers["/healthz"]
    assert status == 503
    assert text.splitlines()[0] == "failed: database, cache"
    assert "storage 文件存储: ok" in text
    assert answers["/livez"] == [200, "ok"]
