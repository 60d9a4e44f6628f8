"""The organiser's office pages with data in them, on a desktop and on a phone, and the pages that
show errors: what axe-core audits here (tests/e2e/accessibility.py) is what an organiser sees."""

from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD, PHONE

DESKTOP = {"width": 1280, "height": 800}


def test_the_dashboard_tables_scroll_on_a_phone_and_take_keyboard_focus(
    log_in, live_server, gx, cast
):
    office = log_in("zuzhi")
    office.goto(f"{live_server.url}/office/c/{gx.key}/")
    expect(office.locator("#by-unit tr[data-unit='nanning-cast']")).to_be_visible()
    assert office.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    for table in ("by-category", "by-unit"):
        region = office.get_by_role(
            "region", name="各类别推荐状态" if table == "by-category" else "各单位已用名额"
        )
        wide, shown = region.evaluate("e => [e.scrollWidth, e.clientWidth]")
        assert wide > shown  # wider than the phone: it scrolls rather than being cut off
        region.focus()
        expect(region).to_be_focused()
        office.keyboard.press("ArrowRight")
        office.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())


def test_the_office_pages_filled_with_data_on_a_desktop(log_in, live_server, gx, cast):
    office = log_in("zuzhi", DESKTOP)
    for path, heading in (
        (f"/office/c/{gx.key}/", "组织方工作台"),
        (f"/office/c/{gx.key}/review/", "形式审查"),
        (f"/office/n/{cast.uid}/", cast.name),
        (f"/office/c/{gx.key}/experts/", "评审分配"),
        (f"/office/c/{gx.key}/ranking/volunteer/", "评审排名：最美科技志愿者"),
        (f"/office/c/{gx.key}/objections/", "公示异议"),
        (f"/office/c/{gx.key}/exports/", "导出材料"),
    ):
        office.goto(f"{live_server.url}{path}")
        expect(office.locator("h1")).to_have_text(heading)
        # Every office page says where the campaign stands and what comes next.
        expect(office.locator(".stages [aria-current=step]")).to_have_count(1)
        expect(office.locator("#next-step li").first).to_be_visible()
    office.goto(f"{live_server.url}/office/c/{gx.key}/review/")
    expect(office.locator("main")).to_contain_text(cast.name)
    # The organiser sees the photos the unit sent, each linking to the picture itself.
    office.goto(f"{live_server.url}/office/n/{cast.uid}/")
    photo = office.locator("#photos a").first
    photo.scroll_into_view_if_needed()  # the thumbnails load lazily
    expect(photo.locator("img")).to_have_js_property("complete", True)
    assert photo.locator("img").evaluate("img => img.naturalWidth") > 0
    assert office.request.get(live_server.url + photo.get_attribute("href")).status == 200


def test_a_wrong_password_and_a_missing_page_show_their_errors(open_page, live_server, cast):
    page = open_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "zuzhi")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    expect(page.get_by_role("alert")).to_have_text("用户名或密码不正确，请重新输入。")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator(".who")).to_have_text("zuzhi")
    response = page.goto(f"{live_server.url}/office/n/00000000-0000-0000-0000-000000000000/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("没有找到该页面")
