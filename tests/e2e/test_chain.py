"""推报至上级活动 in the browser: the Guangxi organiser forwards on a desktop with one button; the
national organiser, on a phone, finds the nomination with Guangxi's scores as read-only history,
and Guangxi sees the national decision on its own nomination."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.conftest import PHONE, person
from tests.review.test_chain import announced
from tuixuan.nominations import services
from tuixuan.units.models import Participation, RecommendingUnit, RoleKind, UnitKind

DESKTOP = {"width": 1280, "height": 800}


def test_the_organiser_forwards_to_the_parent_and_the_parent_sees_the_history(
    log_in, live_server, gx, open_unit
):
    national = gx.parent
    zuzhi = person("zuzhi", kind=RoleKind.ORGANISER, campaign=gx)
    quanguo = person("quanguo", kind=RoleKind.ORGANISER, campaign=national)
    member = open_unit.roles.get().user
    below = announced(gx, zuzhi, member, open_unit, scores=[(36, 25, 18, 9), (26, 25, 18, 9)])
    guangxi = RecommendingUnit.objects.create(
        code="gx-cast", name="广西壮族自治区科学技术协会", kind=UnitKind.OTHER
    )
    Participation.objects.create(
        campaign=national, unit=guangxi, extension_until=timezone.now() + timedelta(days=30)
    )

    office = log_in("zuzhi", DESKTOP)
    office.goto(f"{live_server.url}/office/c/{gx.key}/")
    card = office.locator("#forward-to-parent")
    expect(card).to_contain_text("2024年度科技志愿服务先进典型推选宣传活动（示例）")
    expect(card).to_contain_text("公示期满的推荐1个")
    card.get_by_role("button", name="推报至上级活动").click()
    expect(office.locator(".messages").first).to_contain_text("已推报1个推荐至上级活动")
    row = office.locator("#arrived-above tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(below.name)
    expect(row).to_contain_text("已提交")
    expect(office.locator("#forward-to-parent button")).to_have_count(0)  # nothing left to send

    above = national.nominations.get()
    services.return_for_revision(quanguo, above, reason="请补充照片说明")

    parent = log_in("quanguo", PHONE)
    parent.goto(f"{live_server.url}/office/n/{above.uid}/")
    expect(parent.locator("h1")).to_have_text(below.name)
    history = parent.locator("#chain")
    expect(history).to_contain_text("下级评审记录（只读）")
    expect(history).to_contain_text("来自下级活动“2024年度科技志愿服务先进典型推选宣传活动”")
    expect(parent.locator("#history tbody tr")).to_have_count(2)
    expect(parent.locator("#history tfoot")).to_contain_text("83.00")  # mean of 88 and 78
    expect(history.locator("input, textarea, select, button")).to_have_count(0)
    assert parent.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    child = log_in("zuzhi", PHONE)
    child.goto(f"{live_server.url}/office/n/{below.uid}/")
    expect(child.locator("#status-above")).to_have_text("退回修改")
    assert child.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
