"""`make run` as a visitor meets it: DEBUG off (the Chinese error pages, never Django's debug
page), static files still served, plain HTTP on 127.0.0.1 (no redirect to HTTPS)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VISIT = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client()
missing = client.get("/no-such-page/")
css = client.get("/static/tuixuan/site.css")
print(json.dumps({
    "debug": settings.DEBUG,
    "status": missing.status_code,
    "page": missing.content.decode(),
    "css": css.status_code,
    "secure_cookie": settings.SESSION_COOKIE_SECURE,
}))
"""


def run_environment() -> dict:
    """The variables the Makefile's run target sets (``RUN_ENV := NAME=value …``)."""
    line = re.search(r"^RUN_ENV := (.*)$", (ROOT / "Makefile").read_text(), re.MULTILINE)
    return dict(pair.split("=", 1) for pair in line.group(1).split())


def test_make_run_shows_the_chinese_404_page_not_the_debug_page(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("TUIXUAN_")}
    environment = {
        **inherited,
        **run_environment(),
        "DJANGO_SETTINGS_MODULE": "tuixuan.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "TUIXUAN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-c", VISIT],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    assert seen["status"] == 404  # over plain HTTP: not redirected to HTTPS
    assert "没有找到该页面" in seen["page"] and "返回首页" in seen["page"]
    assert "Page not found" not in seen["page"] and "URLconf" not in seen["page"]
    assert seen["css"] == 200  # static files are served with DEBUG off
    assert seen["secure_cookie"] is False  # a login over http://127.0.0.1 keeps its session
