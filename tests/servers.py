"""gunicorn with several workers on the test database: for what only shows between processes.

The tests that use it run with ``transaction=True`` (their rows are committed, so the workers see
them) and talk to the workers over HTTP on loopback. The workers run the production settings
(``TUIXUAN_DEBUG=0``) without the HTTPS redirect, with the test's media folder.
"""

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database as a URL the workers' settings understand."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = quote(db.get("USER") or "postgres")
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def workers_of(master_pid) -> list[int]:
    try:
        path = Path(f"/proc/{master_pid}/task/{master_pid}/children")
        return [int(pid) for pid in path.read_text().split()]
    except OSError:
        return []


class Server:
    def __init__(self, process, port, log):
        self.process, self.port, self.log = process, port, log

    @property
    def workers(self) -> list[int]:
        return workers_of(self.process.pid)

    def request(self, method, path, body=None, headers=None, timeout=60):
        """One request on a new connection (so each may land on another worker)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def json(self, method, path, payload=None, token=None):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        body = None if payload is None else json.dumps(payload, ensure_ascii=False).encode()
        status, _, content = self.request(method, path, body, headers)
        return status, json.loads(content) if content else None


@contextmanager
def gunicorn(tmp_path, *, workers=3, env=None):
    """Start gunicorn (``workers`` sync workers) on the test database; stop it afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "TUIXUAN_DEBUG": "0",
        "TUIXUAN_SSL_REDIRECT": "0",
        "TUIXUAN_SECRET_KEY": "test-only-secret-key-" + "x" * 40,
        "TUIXUAN_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tuixuan.settings",
        **(env or {}),
    }
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tuixuan.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={workers}",
                "--log-level=warning",
                f"--pythonpath={ROOT / 'src'}",
            ],
            env=environment,
            stdout=log,
            stderr=log,
        )
        server = Server(process, port, log_path)
        try:
            _wait_until_ready(server, workers)
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_ready(server, workers):
    for _ in range(600):
        if server.process.poll() is not None:
            break
        if len(server.workers) == workers:
            try:
                status, _, _ = server.request("GET", "/healthz", timeout=5)
                if status == 200:
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(f"gunicorn did not start: {server.log.read_text()[-2000:]}")
