"""Take-down and publication are immediate on every worker of a deployment.

The public pages are cached whole. With a cache per process, a page taken down (取消展示) was
still served by the other workers for up to ten minutes. The cache is now shared by all
processes: a table in the database by default, Redis when TUIXUAN_REDIS_URL is set. Both are
tried here with gunicorn running 3 workers.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import complete_nomination
from tests.servers import gunicorn
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.showcase import services as showcase
from tuixuan.units.models import Participation

REDIS = "redis://127.0.0.1:6379/15"
# One prefix per database: `make test` runs SQLite and PostgreSQL side by side on one Redis.
PREFIX = f"tuixuan-test-{connection.vendor}"
ROUNDS = 15  # new connections each time: the requests spread over the three workers
BACKENDS = {
    "database": None,
    "redis": {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": PREFIX,
        }
    },
}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, settings):
    if BACKENDS[request.param] is not None:
        settings.CACHES = BACKENDS[request.param]
        return {"TUIXUAN_REDIS_URL": REDIS, "TUIXUAN_CACHE_PREFIX": PREFIX}
    return {}


def _answers(server, path):
    return [server.request("GET", path) for _ in range(ROUNDS)]


@pytest.mark.django_db(transaction=True)
def test_publication_and_take_down_are_seen_by_every_worker_at_once(
    backend, gx, unit, member, organiser, tmp_path
):
    from django.core.cache import cache

    cache.clear()
    Participation.objects.update(extension_until=timezone.now() + timedelta(days=30))
    nomination = complete_nomination(member, gx, unit, "volunteer", name="韦新星")
    services.submit(member, nomination)
    Nomination.objects.filter(pk=nomination.pk).update(status=Status.SELECTED)
    name = "韦新星".encode()
    with gunicorn(tmp_path, workers=3, env=backend) as server:
        assert not any(name in body for _, _, body in _answers(server, "/exemplars/"))

        exemplar = showcase.publish(organiser, nomination)

        page = f"/exemplars/{exemplar.pk}/"
        assert all(name in body for _, _, body in _answers(server, "/exemplars/"))
        assert {status for status, _, _ in _answers(server, page)} == {200}

        showcase.unpublish(organiser, exemplar)

        assert {status for status, _, _ in _answers(server, page)} == {404}
        assert not any(name in body for _, _, body in _answers(server, "/exemplars/"))
