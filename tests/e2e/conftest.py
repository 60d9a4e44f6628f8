"""Browser tests: Debian's chromium driven by Playwright against the live Django server."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_member, make_unit
from tests.fixtures.images import jpeg_of_size

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are ordinary synchronous code, so Django's async guard is lifted for them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-gpu",
]
PHONE = {"width": 375, "height": 800}
PASSWORD = "browser-test-password"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def open_unit(gx):
    """A unit that may still nominate today: the organiser granted it an extension (G2)."""
    unit = make_unit(gx)
    unit.participations.update(extension_until=timezone.now() + timedelta(days=10))
    member = make_member(unit, "nanning")
    member.set_password(PASSWORD)
    member.save()
    return unit


@pytest.fixture
def logged_in(page, live_server, open_unit):
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "nanning")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".quota-grid")
    return page


@pytest.fixture
def photo_files(tmp_path):
    """Real JPEGs on disk, as a phone would pick them: 1.5 MB each, and one of 900 KB."""

    def make(count, size=1572864, prefix="photo"):
        paths = []
        for n in range(count):
            path = tmp_path / f"{prefix}-{n}.jpg"
            path.write_bytes(jpeg_of_size(size, seed=n, dimensions=(320, 240)))
            paths.append(str(path))
        return paths

    return make
