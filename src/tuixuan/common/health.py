"""Is this node able to serve? One small round trip to each thing it depends on.

A load balancer asks ``/healthz`` every few seconds and sends no traffic to a node that answers
anything but 200. A node can be alive and still useless: its database connection refused, the
shared cache unreachable, the bucket's endpoint gone. Each check therefore really uses its part —
the database answers a query, the cache gives back a value just written, the storage gives back
a file just saved (then deletes it) — rather than only asking the process whether it is running,
which is what ``/livez`` does.

A failure is reported by the part's name and the exception's class only: an exception's text can
carry host names, bucket names or keys, which a health answer (often reachable from outside)
must not show.
"""

import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from .storage import open_stream

PROBE = b"tuixuan health probe"
PROBE_FOLDER = "healthz"  # where the probes are written (and at once deleted); not data


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone()[0] != 1:
            raise RuntimeError("unexpected answer")


def _cache():
    key, value = f"healthz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    try:
        if cache.get(key) != value:
            raise RuntimeError("value not read back")
    finally:
        cache.delete(key)


def _storage():
    name = default_storage.save(f"{PROBE_FOLDER}/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
    try:
        with open_stream(default_storage, name) as stored:
            if stored.read() != PROBE:
                raise RuntimeError("content not read back")
    finally:
        default_storage.delete(name)


# (name in the answer, what it is called in Chinese, the check), checked in this order.
PARTS = (
    ("database", "数据库", _database),
    ("cache", "缓存", _cache),
    ("storage", "文件存储", _storage),
)


@dataclass(frozen=True)
class Result:
    name: str
    label: str
    error: str = ""  # the exception's class name; empty when the part answered

    @property
    def ok(self) -> bool:
        return not self.error


def check() -> list[Result]:
    """Every part checked, even after one has failed, so the answer names all that are down."""
    results = []
    for name, label, probe in PARTS:
        try:
            probe()
        except Exception as error:  # any failure means "not ready", by design
            results.append(Result(name, label, type(error).__name__))
        else:
            results.append(Result(name, label))
    return results
