"""The database cache's table UNLOGGED on PostgreSQL (issue 18).

Every cache miss of a public page writes the page to this table; in a logged table each write
waits for the write-ahead log to reach the disk (about 2 ms here, more than the rest of the
write). An unlogged table skips the log: a crash empties it (PostgreSQL truncates it on
recovery) and a standby does not copy it, which a cache can afford: pages are made again.
Other databases and other cache backends (Redis) are left alone.
"""

from django.core.cache import caches
from django.core.cache.backends.db import BaseDatabaseCache
from django.db import migrations, router


def _cache_tables(connection):
    existing = set(connection.introspection.table_names())
    for alias in caches:
        cache = caches[alias]
        if (
            isinstance(cache, BaseDatabaseCache)
            and cache._table in existing
            and router.allow_migrate_model(connection.alias, cache.cache_model_class)
        ):
            yield connection.ops.quote_name(cache._table)


def _persistence(kind):
    def change(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        for table in _cache_tables(connection):
            schema_editor.execute(f"ALTER TABLE {table} SET {kind}")

    return change


class Migration(migrations.Migration):
    dependencies = [("common", "0002_cache_table")]

    operations = [migrations.RunPython(_persistence("UNLOGGED"), _persistence("LOGGED"))]
