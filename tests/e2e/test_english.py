"""The unit's nomination form and the organiser's review queue in English, chosen in the footer,
on a phone and on a desktop screen: the site's own words in English, a refusal in English, the
campaign's words as written, and nothing wider than the screen (English is longer than Chinese).

Set ``TUIXUAN_SCREENSHOTS`` to a folder to keep what the browser showed."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tests.e2e.conftest import PASSWORD, person
from tests.e2e.test_unit_portal import start
from tuixuan.nominations import services
from tuixuan.units.models import RoleKind

SCREENS = {"phone": {"width": 375, "height": 800}, "desktop": {"width": 1280, "height": 900}}
SCREENSHOTS = os.environ.get("TUIXUAN_SCREENSHOTS")


def log_in_in_english(open_page, live_server, username, screen):
    page = open_page(SCREENS[screen])
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("footer.site-footer").scroll_into_view_if_needed()
    page.select_option("#language", "en")  # site.js sends the footer's form on change
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def sticking_out(page) -> list[str]:
    """What passes the window's right edge (a table inside a ``.scroll`` box may scroll)."""
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
            .filter(e => !e.closest('.scroll')
                && e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
            .map(e => `${e.tagName}.${e.className}: ${e.textContent.trim().slice(0, 40)}`)"""
    )


def looks_right(page, name, screen):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{SCREENS[screen]['width']}.png", full_page=True)
    assert sticking_out(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"]


@pytest.mark.parametrize("screen", SCREENS)
def test_a_unit_fills_the_form_in_english_and_a_wrong_entry_is_kept_and_explained_in_english(
    open_page, live_server, gx, open_unit, screen
):
    page = log_in_in_english(open_page, live_server, "nanning", screen)
    expect(page.locator(".quota-grid")).to_contain_text("New nomination")
    start(page, "volunteer")
    expect(page.locator("button[value=save]")).to_have_text("Save draft")
    expect(page.locator("h1")).to_have_text(gx.categories.get(key="volunteer").form_title)
    page.fill("input[name=name]", "李秀梅")
    page.fill("input[name=activity_count]", "很多次")
    page.click("button[value=save]")
    expect(page.locator(".message.warning")).to_have_text(
        "Entries to correct: 1. They were saved in the draft as typed; correct them before "
        "submitting."
    )
    # The field's label is the campaign's, as written; the words around it are ours.
    expect(page.locator("#field-activity_count .error")).to_have_text(
        "“参加科技志愿服务活动次数”: Enter a number."
    )
    expect(page.locator("input[name=name]")).to_have_value("李秀梅")  # nothing typed is lost
    looks_right(page, "nomination-form", screen)


@pytest.mark.parametrize("screen", SCREENS)
def test_the_organisers_review_queue_in_english(open_page, live_server, gx, open_unit, screen):
    member = open_unit.roles.get().user
    nomination = complete_nomination(member, gx, open_unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    person("zuzhi", kind=RoleKind.ORGANISER, campaign=gx)
    page = log_in_in_english(open_page, live_server, "zuzhi", screen)
    page.goto(f"{live_server.url}/office/c/{gx.key}/review/")
    expect(page.locator("h1")).to_have_text("Eligibility check")
    expect(page.locator("thead")).to_contain_text("Nominating unit")
    expect(page.locator("tbody")).to_contain_text(nomination.name)  # what the unit typed
    looks_right(page, "review-queue", screen)
    page.click(f"text={nomination.name}")
    page.click("#accept button[type=submit]")  # nothing on the checklist ticked
    expect(page.locator(".message.error")).to_contain_text("of the manual checklist are not ticked")
