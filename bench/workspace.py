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
