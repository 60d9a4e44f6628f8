"""A unit's clerk is guided and told: the steps of a nomination, the 需处理 banner for what the
organiser returned, the news since the last visit (and its count in the header), and the profile
page where the address the mail goes to is kept — on a phone and on a desktop."""

from playwright.sync_api import expect

from tests.conftest import complete_nomination
from tests.e2e.conftest import PASSWORD, PHONE, person
from tuixuan.nominations import services
from tuixuan.units.models import Notification, Profile, RoleKind

DESKTOP = {"width": 1280, "height": 800}


def log_in_to(open_page, live_server, path, viewport):
    page = open_page(viewport)
    page.goto(f"{live_server.url}/accounts/login/?next={path}")
    page.fill("#id_username", "nanning")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    return page


def test_a_clerk_sees_the_steps_the_returned_nomination_and_the_news_on_a_phone_and_a_desktop(
    open_page, live_server, gx, open_unit
):
    member = open_unit.roles.get().user
    organiser = person("zuzhi", kind=RoleKind.ORGANISER, campaign=gx)
    returned = complete_nomination(member, gx, open_unit, "volunteer", now=None)
    services.submit(member, returned)
    services.return_for_revision(organiser, returned, reason="请补充服务时长证明")
    accepted = complete_nomination(member, gx, open_unit, "project", now=None)
    services.submit(member, accepted)
    services.accept(organiser, accepted)
    draft = complete_nomination(member, gx, open_unit, "organisation", photos=0, now=None)

    # On a phone, straight to the draft: its steps, and two pieces of news waiting in the header.
    phone = log_in_to(open_page, live_server, f"/n/{draft.uid}/", PHONE)
    steps = phone.locator(".steps .step")
    expect(steps).to_have_count(6)
    expect(phone.locator(".step[data-step='fill']")).to_have_class("step step-done")
    current = phone.locator(".step[aria-current='step']")
    expect(current).to_have_attribute("data-step", "photos")
    expect(phone.locator(".step-next")).to_contain_text("下一步：照片")
    expect(phone.locator(".downloads .print-preview")).to_have_attribute("target", "_blank")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(phone.locator(".site-header .unread")).to_have_text("新消息 2")

    # The count leads to the unit's page: the returned nomination first, then the news.
    phone.click(".site-header .unread")
    banner = phone.locator(".attention")
    expect(banner).to_contain_text("需处理")
    expect(banner).to_contain_text("退回理由：请补充服务时长证明")
    news = phone.locator(".news li")
    expect(news).to_have_count(2)
    expect(news.nth(0)).to_contain_text("“柑橘黄龙病防控科技服务”已通过形式审查")
    expect(news.nth(1)).to_contain_text("“李秀梅”被组织方退回修改")
    expect(phone.locator(".site-header .unread")).to_have_count(0)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()

    banner.get_by_role("link", name="李秀梅").click()  # handed in without a scan (G3 only warns)
    expect(phone.locator(".step[aria-current='step']")).to_have_attribute("data-step", "print")
    expect(phone.locator(".returned")).to_contain_text("请补充服务时长证明")

    # The profile, from the header: a wrong mobile is named, a right one kept.
    phone.click(".site-header .who")
    phone.fill("#id_email", "nanning@example.cn")
    phone.fill("#id_mobile", "1380771")
    phone.click("main button[type=submit]")
    expect(phone.locator("#error-mobile")).to_contain_text("“手机号码”：应为以1开头的11位数字")
    expect(phone.locator("#id_mobile")).to_have_attribute("aria-invalid", "true")
    phone.fill("#id_mobile", "13807710001")
    phone.click("main button[type=submit]")
    expect(phone.locator(".message.success")).to_have_text("已保存个人信息。")
    assert Profile.objects.get(user=member).mobile == "13807710001"

    # On a desktop, the news seen are gone; the banner stays until it is handed in again; the
    # six steps stand in one row.
    desk = log_in_to(open_page, live_server, "/my/", DESKTOP)
    expect(desk.locator(".attention")).to_contain_text("请补充服务时长证明")
    expect(desk.locator(".news")).to_have_count(0)
    desk.goto(f"{live_server.url}/n/{draft.uid}/")
    tops = {round(box["y"]) for box in (s.bounding_box() for s in desk.locator(".step").all())}
    assert len(tops) == 1
