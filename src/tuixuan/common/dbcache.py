"""The cache in a database table (settings.CACHES without Redis), written in one statement.

Django's DatabaseCache writes an entry with five statements: it counts the whole table (to cull
it), then in a transaction reads the entry, updates or inserts it, and commits. On PostgreSQL each
is a round trip, and storing a public page after a cache miss cost more than reading everything
the page shows (issue 18). Here an entry is written by one upsert (``INSERT … ON CONFLICT``, which
SQLite and PostgreSQL both have), which also returns how many entries the table held, so the table
is culled exactly when Django would cull it (more than ``MAX_ENTRIES``) without a statement of its
own. The cull never removes the entry just written: it is the page a visitor is about to ask for
again. Reading, ``touch``, deleting and clearing are Django's.

On PostgreSQL the table is UNLOGGED (common/migrations/0003): a write then waits for no flush of
the write-ahead log, and a crash merely empties the cache.
"""

import base64
import pickle
from contextlib import nullcontext
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        if mode == "touch":
            return super()._base_set(mode, key, value, timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        now = tz_now().replace(microsecond=0)
        statement, params = self._upsert(connection, mode, key, value, timeout, now)
        try:
            # Inside a transaction a failed write must not break it: a savepoint, as Django's.
            guard = transaction.atomic(using=db) if connection.in_atomic_block else nullcontext()
            with guard, connection.cursor() as cursor:
                cursor.execute(statement, params)
                written = cursor.fetchone()
                if written is not None and written[0] > self._max_entries:
                    self._cull_keeping(connection, cursor, key, now, written[0])
        except DatabaseError:
            return False  # as Django's: a write may fail (say, the table is gone); not an error
        return written is not None

    def _upsert(self, connection, mode, key, value, timeout, now):
        """The statement that writes ``key`` (for ``add``, only over an expired entry) and
        returns the number of entries the table held, or no row if nothing was written."""
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")
        value_column, expires_column = quote("value"), quote("expires")
        timeout = self.get_backend_timeout(timeout)
        if timeout is None:
            expires = datetime.max
        else:
            expires = datetime.fromtimestamp(timeout, tz=UTC if settings.USE_TZ else None)
        adapt = connection.ops.adapt_datetimefield_value
        pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
        params = [key, pickled, adapt(expires.replace(microsecond=0))]
        only_expired = ""
        if mode == "add":
            only_expired = f" WHERE {table}.{expires_column} < %s"
            params.append(adapt(now))
        statement = (
            f"INSERT INTO {table} ({key_column}, {value_column}, {expires_column})"
            f" VALUES (%s, %s, %s) ON CONFLICT ({key_column}) DO UPDATE"
            f" SET {value_column} = excluded.{value_column},"
            f" {expires_column} = excluded.{expires_column}{only_expired}"
            f" RETURNING (SELECT COUNT(*) FROM {table})"
        )
        return statement, params

    def _cull_keeping(self, connection, cursor, key, now, entries):
        """Django's cull (the expired entries; then, if still too many, every
        ``CULL_FREQUENCY``-th of them in key order), sparing ``key``."""
        quote = connection.ops.quote_name
        table, key_column = quote(self._table), quote("cache_key")
        if self._cull_frequency == 0:
            cursor.execute(f"DELETE FROM {table} WHERE {key_column} <> %s", [key])
            return
        cursor.execute(
            f"DELETE FROM {table} WHERE {quote('expires')} < %s AND {key_column} <> %s",
            [connection.ops.adapt_datetimefield_value(now), key],
        )
        remaining = entries - cursor.rowcount
        if remaining <= self._max_entries:
            return
        cursor.execute(
            connection.ops.cache_key_culling_sql() % table, [remaining // self._cull_frequency]
        )
        last = cursor.fetchone()
        if last:
            cursor.execute(
                f"DELETE FROM {table} WHERE {key_column} < %s AND {key_column} <> %s",
                [last[0], key],
            )
