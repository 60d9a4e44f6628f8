"""Background work survives a dying worker and a database restart.

A ``manage.py worker`` process runs on the test database, as in a deployment. Killed in the
middle of a package, its export no longer stays "生成中" forever: after the lease another live
worker takes it over and completes it, nobody clicking anything; an export that has lost its
worker three times is failed with a Chinese reason, the page offers 重新生成, and the retry
completes. When the
database drops the worker's connection (as a PostgreSQL restart does), the worker reconnects and
goes on with the next export instead of exiting.
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, ROOT, complete_nomination
from tests.servers import database_url
from tuixuan.documents import services as documents
from tuixuan.documents.models import MOST_ATTEMPTS, Export, ExportState
from tuixuan.nominations import services
from tuixuan.units.models import Participation


def start_worker(tmp_path, *, lease=180):
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TUIXUAN_VAR_DIR": str(tmp_path),
        "TUIXUAN_EXPORT_WORKERS": "1",
        "TUIXUAN_EXPORT_LEASE_SECONDS": str(lease),
    }
    log = (tmp_path / "worker.log").open("ab")
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )


def wait_for(predicate, seconds, what):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def state_of(export):
    export.refresh_from_db()
    return export.state


@pytest.fixture
def handed_in(gx, unit, member):
    Participation.objects.update(extension_until=None)
    for n in range(8):
        nomination = complete_nomination(member, gx, unit, "volunteer", name=f"候选人{n}")
        if n < 3:
            services.submit(member, nomination, now=BEFORE_DEADLINE)
    return gx


@pytest.mark.django_db(transaction=True)
def test_an_export_whose_worker_was_killed_is_taken_over_and_completed_by_a_live_worker(
    client, handed_in, organiser, settings, tmp_path, media_root
):
    settings.MEDIA_ROOT = tmp_path / "media"
    worker = start_worker(tmp_path)
    try:
        export = documents.start_export(
            organiser, handed_in, kind="package", statuses=["submitted"], include_pdf=True
        )
        wait_for(lambda: state_of(export) == ExportState.RUNNING, 60, "the export to start")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        worker.kill()
    assert state_of(export) == ExportState.RUNNING

    # Another machine's worker, already running: it notices the silence and takes the export over.
    survivor = start_worker(tmp_path, lease=20)
    try:
        wait_for(lambda: state_of(export) == ExportState.DONE, 180, "the take-over to finish")
    finally:
        survivor.kill()
    export.refresh_from_db()
    assert export.attempt >= 2  # taken over (again, should the survivor's own run stall a lease)
    assert Export.objects.count() == 1  # the same export, not a new one
    client.force_login(organiser)
    download = client.get(f"/office/exports/{export.pk}/download/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert "已重新排队" in (tmp_path / "worker.log").read_text()  # the deployer can see it


@pytest.mark.django_db(transaction=True)
def test_an_export_that_keeps_losing_its_worker_is_failed_and_can_be_retried(
    client, handed_in, organiser, settings, tmp_path, media_root
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TUIXUAN_EXPORT_LEASE_SECONDS = 1
    export = documents.start_export(organiser, handed_in, kind="summary", statuses=["submitted"])
    long_ago = timezone.now() - timedelta(minutes=5)
    client.force_login(organiser)

    # Its first worker died: the page puts it back in the queue, as attempt 2.
    Export.objects.filter(pk=export.pk).update(state=ExportState.RUNNING, heartbeat_at=long_ago)
    progress = client.get(f"/office/exports/{export.pk}/?format=json").json()
    assert progress["state"] == "queued"
    export.refresh_from_db()
    assert export.attempt == 2

    # Its third worker died too: it stops trying, and says why.
    Export.objects.filter(pk=export.pk).update(
        state=ExportState.RUNNING, heartbeat_at=long_ago, attempt=MOST_ATTEMPTS
    )
    progress = client.get(f"/office/exports/{export.pk}/?format=json").json()
    assert progress["state"] == "failed"
    page = client.get(f"/office/exports/{export.pk}/").content.decode()
    assert "后台进程已停止" in page
    assert "共3次仍未完成" in page
    assert "重新生成" in page

    retried = client.post(f"/office/exports/{export.pk}/retry/")
    assert retried.status_code == 302
    again = Export.objects.exclude(pk=export.pk).get()
    assert again.state == ExportState.QUEUED

    worker = start_worker(tmp_path)
    try:
        wait_for(lambda: state_of(again) == ExportState.DONE, 120, "the retry to finish")
    finally:
        worker.kill()
    assert client.get(f"/office/exports/{again.pk}/download/").status_code == 200
    assert state_of(export) == ExportState.FAILED


def server_admin():
    """A connection to the server's maintenance database (not the test database)."""
    import psycopg

    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"], port=db["PORT"], user=db["USER"] or "postgres", dbname="postgres",
        password=db.get("PASSWORD") or None, autocommit=True,
    )  # fmt: skip


def allow_connections(name, allowed: bool):
    with server_admin() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allowed).lower()}')


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a database server's restart: PostgreSQL only"
)
@pytest.mark.django_db(transaction=True)
def test_the_worker_reconnects_after_the_database_drops_its_connections(
    handed_in, organiser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    name = connection.settings_dict["NAME"]
    worker = start_worker(tmp_path)
    try:
        first = documents.start_export(organiser, handed_in, kind="summary", statuses=["submitted"])
        wait_for(lambda: state_of(first) == ExportState.DONE, 60, "the first export")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            ours = cursor.fetchone()[0]
        # What a restart does: every session is cut, and for a while nobody can connect.
        allow_connections(name, False)
        with server_admin() as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> %s",
                [name, ours],
            )
        time.sleep(3)
        allow_connections(name, True)
        second = documents.start_export(
            organiser, handed_in, kind="summary", statuses=["submitted"]
        )
        wait_for(lambda: state_of(second) == ExportState.DONE, 60, "the export after the drop")
        assert worker.poll() is None
    finally:
        worker.kill()
        allow_connections(name, True)
    assert "数据库连接中断" in (tmp_path / "worker.log").read_text()
