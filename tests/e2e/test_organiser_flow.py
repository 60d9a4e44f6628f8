"""The organiser's path, in the browser: return, fix and resubmit, accept, two experts score
(one short of the campaign's three: told and marked), shortlist (marked reviewed with it), 公示,
推报 once the 公示 is over, and publishing before the result only with a reason; the stage bar
and the bulk actions offered follow along, on a phone."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.keyboard import tab_to
from tests.fixtures.calendar import naming_unknown_days
from tuixuan.campaigns.models import Campaign
from tuixuan.nominations.models import Nomination, Status
from tuixuan.review.models import Announcement


def test_from_return_to_forwarding(log_in, live_server, gx, cast):
    office = log_in("zuzhi")
    office.goto(f"{live_server.url}/office/c/{gx.key}/review/")
    office.click(f"text={cast.name}")
    office.fill("#return-reason", "请补充参加科技志愿服务活动次数的说明")
    office.click("#return button[type=submit]")
    expect(office.locator(".message.success")).to_contain_text("退回推荐单位修改")

    # The unit fixes it by keyboard on a desktop screen, every stop clear of the 保存草稿 bar.
    unit = log_in("nanning", viewport={"width": 1280, "height": 900})
    unit.goto(f"{live_server.url}/n/{cast.uid}/")
    expect(unit.locator(".returned")).to_contain_text("请补充参加科技志愿服务活动次数的说明")
    tab_to(unit, "input[name=activity_count]")
    unit.keyboard.press("Control+A")
    unit.keyboard.insert_text("150")
    tab_to(unit, "button[value=submit]")
    unit.keyboard.press("Enter")
    expect(unit.locator(".message.success")).to_contain_text("已提交")

    # The organiser ticks the checklist and accepts by keyboard alone.
    office.goto(f"{live_server.url}/office/n/{cast.uid}/")
    for value in office.locator("#accept input[name=checked]").evaluate_all(
        "boxes => boxes.map(box => box.value)"
    ):
        tab_to(office, f"#accept input[name=checked][value='{value}']")
        office.keyboard.press("Space")
    tab_to(office, "#accept button[type=submit]")
    office.keyboard.press("Enter")
    expect(office.locator(".message.success")).to_contain_text("已通过形式审查")

    office.goto(f"{live_server.url}/office/c/{gx.key}/experts/")
    office.click("button:has-text('自动分配')")
    expect(office.locator(".message.success")).to_contain_text("已自动分配2个评审任务")
    expect(office.locator(".message.warning")).to_contain_text("至少还需增加1位评审专家")

    for name, points in (
        ("expert-a", ("36", "25", "18", "9")),
        ("expert-b", ("30", "20", "15", "8")),
    ):
        expert = log_in(name)
        expert.goto(f"{live_server.url}/review/")
        expert.click(f"text={cast.name}")
        expect(expert.locator("body")).not_to_contain_text("13807710001")
        for key, value in zip(("deeds", "example", "service", "materials"), points, strict=True):
            expert.fill(f"#score-{key}", value)
        expert.click("#scoring button[type=submit]")
        expect(expert.locator(".message.success")).to_contain_text("已提交")

    ranking = f"{live_server.url}/office/c/{gx.key}/ranking/volunteer/"
    office.goto(ranking)
    expect(office.locator(f"tr[data-uid='{cast.uid}'] .total")).to_have_text("80.50")
    expect(office.locator(f"tr[data-uid='{cast.uid}'] .under-covered")).to_have_text(
        "专家不足（已分配2/3位）"
    )
    # On the phone the stage bar says where the campaign is, and the bulk actions offered are
    # the two that apply, each a whole row wide; 列入拟推荐 takes 标记为已评审 with it.
    # (收集 still: the unit's deadline is extended; what is ready further on is said after it)
    expect(office.locator(".stages [aria-current=step]")).to_contain_text("收集")
    expect(office.locator("#next-step")).to_contain_text("1个推荐已评完")
    buttons = office.locator(".bulk-actions button")
    expect(buttons).to_have_text(["标记为已评审（1个）", "列入拟推荐（1个）"])
    for box in (buttons.nth(0).bounding_box(), buttons.nth(1).bounding_box()):
        assert box["width"] > 300 and box["height"] < 60  # full width, one line: not a column
    office.check(f"tr[data-uid='{cast.uid}'] input[name=chosen]")
    office.click("button[value=shortlist]")
    expect(office.locator(f"tr[data-uid='{cast.uid}'] .status")).to_have_text("拟推荐")
    # The button counts the 公示's working days from today: a year the holiday data does not
    # know has them named in the campaign file, as its organiser would.
    Campaign.objects.filter(pk=gx.pk).update(calendar=naming_unknown_days(timezone.localdate()))
    office.check(f"tr[data-uid='{cast.uid}'] input[name=chosen]")
    office.click("button[value=announce]")
    expect(office.locator(f"tr[data-uid='{cast.uid}'] .status")).to_have_text("公示中")

    # During the 公示 推报 is not offered; the next step says when it will be.
    expect(office.locator("button[value=forward]")).to_have_count(0)
    expect(office.locator("#next-step")).to_contain_text("期满后才能推报")

    # Five working days pass.
    past = timezone.localdate() - timedelta(days=10)
    Announcement.objects.update(starts_on=past, ends_on=past + timedelta(days=6))
    office.goto(ranking)
    office.check(f"tr[data-uid='{cast.uid}'] input[name=chosen]")
    office.click("button[value=forward]")
    expect(office.locator(f"tr[data-uid='{cast.uid}'] .status")).to_have_text("已推报")
    assert Nomination.objects.get(pk=cast.pk).status == Status.FORWARDED

    # Not yet 入选: publishing it early needs a reason, which the trail then shows.
    office.goto(f"{live_server.url}/office/n/{cast.uid}/")
    expect(office.locator("#before-result")).to_contain_text("尚无入选结果")
    office.fill("#publish-reason", "配合科技活动周先行宣传")
    office.click("#publicity button.primary")
    expect(office.locator(".message.success")).to_contain_text("已公开展示")
    expect(office.locator("#trail")).to_contain_text("公开展示：配合科技活动周先行宣传")
    expect(office.locator("#trail")).to_contain_text("标记为已评审 （形式审查通过 → 已评审）")
