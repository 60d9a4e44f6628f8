"""A member of the public on a phone: the list, a category filter, an exemplar with its photos."""

from playwright.sync_api import expect

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member, scored_by_an_expert
from tuixuan.nominations import services as nomination_services
from tuixuan.showcase import services


def test_a_visitor_filters_the_exemplars_and_opens_one_with_photos(
    page, live_server, gx, organiser, unit
):
    member = make_member(unit)
    published = []
    for key, changes in (("volunteer", {}), ("project", {})):
        nomination = complete_nomination(member, gx, unit, key, **changes)
        nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
        nomination_services.accept(organiser, nomination)
        nomination_services.mark_reviewed(organiser, scored_by_an_expert(nomination))
        nomination_services.shortlist(organiser, nomination)
        published.append(services.publish(organiser, nomination, reason="公示前先行宣传"))

    page.goto(f"{live_server.url}/exemplars/")
    expect(page.locator(".exemplar-card")).to_have_count(2)
    page.select_option("#f-category", "project")
    page.click(".filters button[type=submit]")
    expect(page.locator(".exemplar-card")).to_have_count(1)
    expect(page.locator(".exemplar-card")).to_contain_text("柑橘黄龙病防控科技服务")
    page.click(".exemplar-card a")
    expect(page.locator("h1")).to_have_text("柑橘黄龙病防控科技服务")
    photos = page.locator(".story-photos img")
    expect(photos).to_have_count(2)
    # Every photo really arrives and decodes (img.decode() waits for it, as a slow phone would).
    for index in range(2):
        width = photos.nth(index).evaluate(
            "async img => { await img.decode(); return img.naturalWidth; }"
        )
        assert width > 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator("body")).not_to_contain_text("13977100002")


def test_a_visitor_on_a_phone_switches_to_english_in_the_footer_and_back(page, live_server, gx):
    """Choosing a language is enough (site.js submits it); the choice holds on the next page."""
    page.goto(f"{live_server.url}/exemplars/")
    expect(page.locator("h1")).to_have_text("科技志愿服务先进典型")
    footer = page.locator("footer.site-footer")
    footer.scroll_into_view_if_needed()
    assert footer.bounding_box()["width"] <= 375  # nothing sticks out on a phone
    page.select_option("#language", "en")
    expect(page.locator("h1")).to_have_text("Exemplars of science and technology volunteer service")
    page.goto(f"{live_server.url}/campaigns/{gx.key}/")
    expect(page.locator(".contacts h2")).to_have_text("Contact")
    page.select_option("#language", "zh-hans")
    expect(page.locator(".contacts h2")).to_have_text("联系方式")
