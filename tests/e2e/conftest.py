"""Browser tests: Debian's chromium driven by Playwright against the live Django server."""

import os
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member, make_unit
from tests.e2e.accessibility import Auditor
from tests.fixtures.images import jpeg_of_size
from tuixuan.nominations import services
from tuixuan.units.models import Role, RoleKind

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


AUDITOR = pytest.StashKey[Auditor]()


@pytest.fixture(scope="session")
def axe(browser, pytestconfig):
    """One auditor for the session: a page state it has audited once is not audited again."""
    auditor = pytestconfig.stash[AUDITOR] = Auditor(browser)
    return auditor


def pytest_terminal_summary(terminalreporter, config):
    """What the audits cost, so that it stays in sight (issue 20 keeps it modest)."""
    if auditor := config.stash.get(AUDITOR, None):
        terminalreporter.write_line(
            f"axe-core: {auditor.audits} audits, {auditor.seconds:.1f} s (overlapping the tests)"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After a browser test has passed, wait for the audits of its pages; what axe found fails
    the test."""
    auditor = item.funcargs.get("axe")
    if "browser" in item.fixturenames and auditor is None:
        raise AssertionError("浏览器测试须经 open_page / page 打开页面，以便 axe-core 检查每个页面")
    try:
        result = yield
    except BaseException:
        if auditor is not None:
            auditor.forget()
        raise
    if auditor is not None:
        auditor.finish()
    return result


@pytest.fixture
def open_page(browser, axe):
    """A new browser (its own cookies) showing a blank page, on a phone unless told; every page
    it then shows is audited by axe-core."""
    contexts = []

    def open_page(viewport=PHONE):
        context = browser.new_context(
            viewport=viewport, locale="zh-CN", timezone_id="Asia/Shanghai"
        )
        context.set_default_timeout(15000)
        contexts.append(context)
        axe.watch(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(open_page):
    return open_page()


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
    page.goto(f"{live_server.url}/my/")
    page.fill("#id_username", "nanning")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".quota-grid")
    return page


def person(username, **role):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Role.objects.create(user=user, **role)
    return user


@pytest.fixture
def log_in(open_page, live_server):
    """Log a person in, in a browser of their own (on a phone unless told); returns its page."""

    def log_in(username, viewport=PHONE):
        page = open_page(viewport)
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        return page

    return log_in


@pytest.fixture
def cast(gx, open_unit):
    """A submitted nomination of the open unit, an organiser and two experts."""
    member = open_unit.roles.get().user
    nomination = complete_nomination(member, gx, open_unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    person("zuzhi", kind=RoleKind.ORGANISER, campaign=gx)
    for name in ("expert-a", "expert-b"):
        person(name, kind=RoleKind.REVIEWER, campaign=gx)
    return nomination


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
