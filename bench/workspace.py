"""What every benchmark does first: a throw-away folder, a database, and Django set up on them.

Not a benchmark itself. Each script calls :func:`workspace` before importing anything of Django's
or ours (hence their ``noqa: E402`` imports), and hands the returned environment to the servers
it starts. The database is the one given, else ``DATABASE_URL`` if set, else a SQLite file in the
folder.
"""

import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]


def workspace(name, *, database_url=None, served=False) -> tuple[Path, dict]:
    """The folder and the environment of this run; ``served``: production settings behind a
    TLS-terminating proxy on loopback, for gunicorn."""
    work = Path(tempfile.mkdtemp(prefix=f"tuixuan-{name}-"))
    env = {
        "DATABASE_URL": database_url
        or os.environ.get("DATABASE_URL")
        or f"sqlite:///{work / 'bench.sqlite3'}",
        "TUIXUAN_VAR_DIR": str(work),
        "DJANGO_SETTINGS_MODULE": "tuixuan.settings",
    }
    if served:
        env |= {
            "TUIXUAN_DEBUG": "0",
            "TUIXUAN_SSL_REDIRECT": "0",  # the proxy redirects; X-Forwarded-Proto says HTTPS
            "TUIXUAN_SECRET_KEY": secrets.token_urlsafe(50),
            "TUIXUAN_ALLOWED_HOSTS": "127.0.0.1",
        }
    os.environ.update(env)
    import django

    django.setup()
    return work, env


def recreate_postgres_database(name):
    """Drop and create the PostgreSQL database ``name`` on 127.0.0.1:5432 (user postgres): a
    bench that serves PostgreSQL starts from an empty database every run."""
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


KEYS = ["volunteer", "organisation", "project", "service-point"]


def made_up_values(n, suffix="") -> tuple[str, dict]:
    """The n-th made-up nomination's category and complete, valid values, with a name of its
    own (so no two are flagged as duplicates of each other)."""
    from tests.conftest import valid_values

    key = KEYS[n % len(KEYS)]
    values = valid_values(key)
    if isinstance(values["name"], dict):  # a service point is named by its address
        values["name"]["community"] = f"东风{n:05d}{suffix}村"  # 村: the level's ending, last
    else:
        values["name"] = f"{values['name']}{n:05d}{suffix}"
    return key, values


def made_up(categories, n, **fields):
    """The n-th made-up nomination, unsaved (for bulk_create); ``fields`` set the rest."""
    from tuixuan.campaigns.checks import name_of
    from tuixuan.nominations.models import Nomination

    key, values = made_up_values(n)
    category = categories[key]
    return Nomination(category=category, values=values, name=name_of(category, values), **fields)
