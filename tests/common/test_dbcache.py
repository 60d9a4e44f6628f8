"""The database cache (common/dbcache.py) writes an entry in one statement, yet keeps Django's
meaning: ``add`` never replaces a live entry, the table stays within MAX_ENTRIES, and on
PostgreSQL the table is UNLOGGED. A public page cached after a miss paid five statements (each a
round trip on PostgreSQL) and a flush of the write-ahead log (issue 18)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def entries():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM tuixuan_cache")
        return cursor.fetchone()[0]


def statements(captured):
    """What reached the database, without the savepoint a test's transaction wraps it in."""
    return [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"].upper()]


def test_storing_a_page_is_one_statement_that_does_not_count_the_table_apart():
    cache.set("page", "first")
    with CaptureQueriesContext(connection) as replaced:
        cache.set("page", "second")
    with CaptureQueriesContext(connection) as added:
        cache.set("another-page", "third")
    assert len(statements(replaced.captured_queries)) == 1, replaced.captured_queries
    assert len(statements(added.captured_queries)) == 1, added.captured_queries
    assert cache.get_many(["page", "another-page"]) == {"page": "second", "another-page": "third"}


def test_add_keeps_a_live_entry_and_replaces_an_expired_one():
    """The generation of the public pages is started with ``add`` (showcase/cache.py): a
    second worker must not replace the one the first just started."""
    assert cache.add("generation", 1, None) is True
    assert cache.add("generation", 2, None) is False
    assert cache.get("generation") == 1

    cache.set("page", "old", 0)  # kept, but already expired
    assert entries() == 2
    assert cache.add("page", "new", 60) is True
    assert cache.get("page") == "new"


def test_the_table_stays_within_max_entries_and_keeps_the_entry_just_written(settings):
    """Django culls when the table holds more than MAX_ENTRIES; so does the one statement."""
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 3},
        }
    }
    cache.clear()
    for n in range(60):
        key = f"page-{n:02d}" if n % 2 else f"a-page-{n:02d}"  # the newest is not always last
        cache.set(key, n)
        assert entries() <= 11, n
        assert cache.get(key) == n, f"the entry just written ({key}) was culled"


def test_the_cache_table_is_unlogged_on_postgresql():
    """A write to it then waits for no flush of the write-ahead log; a crash only empties it."""
    if connection.vendor != "postgresql":
        pytest.skip("UNLOGGED is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT relpersistence FROM pg_class WHERE relname = 'tuixuan_cache'")
        assert cursor.fetchone() == ("u",)
