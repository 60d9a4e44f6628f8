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


def test_a_visitor_finds_the_campaign_the_open_announcement_and_an_exemplar_from_the_front_door(
    open_page, live_server, gx, organiser, unit
):
    """From ``/``, at 1280 px and on a phone: the campaign page (with its way in for units), the
    open 公示 (linked from the campaign page too) and an exemplar; nothing sticks out."""
    from datetime import timedelta

    from django.utils import timezone

    from tuixuan.review import services as review_services

    member = make_member(unit)
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    nomination_services.mark_reviewed(organiser, scored_by_an_expert(nomination))
    nomination_services.shortlist(organiser, nomination)
    today = timezone.localdate()  # its end typed in: counted, it may be refused (year unknown)
    review_services.announce(
        organiser, gx, [nomination], starts_on=today, ends_on=today + timedelta(days=14)
    )
    services.publish(organiser, nomination, reason="公示期间先行宣传")

    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 800}):
        page = open_page(viewport)
        page.goto(f"{live_server.url}/")
        expect(page.locator(".way-in")).to_contain_text("推荐单位登录")
        expect(page.locator(".way-in")).not_to_contain_text("进入工作台")
        page.get_by_role("link", name=gx.title, exact=True).click()
        expect(page.locator("h1")).to_have_text(gx.title)
        expect(page.get_by_role("link", name="推荐单位登录")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.get_by_role("link", name=f"{gx.title}拟推荐名单公示").click()
        expect(page.locator("body")).to_contain_text("李秀梅")
        page.go_back()
        page.locator(".site-header .brand").click()  # back to the front door
        page.locator(".exemplar-card a").first.click()
        expect(page.locator("h1")).to_have_text("李秀梅")
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
