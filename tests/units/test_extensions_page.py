"""The office's 单位延期 page: the organiser grants a unit more time with a reason, audited (G2)."""

from django.urls import reverse

from tuixuan.common.models import AuditEvent
from tuixuan.nominations.deadlines import closes
from tuixuan.units.models import Participation


def page_url(gx):
    return reverse("units:extensions", args=[gx.key])


def test_the_organiser_extends_a_units_deadline_with_a_reason(client, gx, unit, organiser):
    client.force_login(organiser)
    office = client.get(reverse("review:office", args=[gx.key])).content.decode()
    assert page_url(gx) in office  # the 工作台 links the page
    page = client.get(page_url(gx)).content.decode()
    assert unit.name in page and "2025年2月13日 23:59" in page
    posted = {"unit": unit.code, "until": "2025-02-20T18:00", "reason": "受灾停电，未能按时盖章"}
    response = client.post(page_url(gx), posted, follow=True)
    assert response.redirect_chain[-1][1] == 302
    page = response.content.decode()
    assert f"已批准“{unit.name}”延期。" in page
    assert "2025年2月20日 18:00" in page and "受灾停电，未能按时盖章" in page  # and its record
    participation = Participation.objects.get(unit=unit)
    assert participation.extension_until.isoformat() == "2025-02-20T10:00:00+00:00"
    event = AuditEvent.objects.get(action="participation.extend")
    assert event.actor == organiser and event.reason == "受灾停电，未能按时盖章"
    assert event.data["before"] == ""


def test_an_extension_without_a_reason_is_refused_with_422_and_changes_nothing(
    client, gx, unit, organiser
):
    client.force_login(organiser)
    posted = {"unit": unit.code, "until": "2025-02-20T18:00", "reason": ""}
    response = client.post(page_url(gx), posted)
    assert response.status_code == 422
    assert "“延期理由”：批准或取消延期都须填写理由。" in response.content.decode()
    early = client.post(page_url(gx), {**posted, "until": "2025-02-01T18:00", "reason": "x"})
    assert early.status_code == 422
    assert "“延期至”：须晚于活动的截止时间，否则不是延期。" in early.content.decode()
    assert client.post(page_url(gx), {**posted, "until": "明天"}).status_code == 422
    assert Participation.objects.get(unit=unit).extension_until is None
    assert not AuditEvent.objects.filter(action="participation.extend").exists()


def test_an_extended_units_deadline_moves_and_cancelling_moves_it_back(client, gx, unit, organiser):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    after_deadline = datetime(2025, 2, 15, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    client.force_login(organiser)
    posted = {"unit": unit.code, "until": "2025-02-20T18:00", "reason": "补交"}
    client.post(page_url(gx), posted)
    assert after_deadline < closes(gx, unit.pk)
    client.post(page_url(gx), {**posted, "until": "", "reason": "已补交完毕"})
    assert closes(gx, unit.pk) < after_deadline


def test_others_cannot_see_or_use_the_page(client, gx, unit, member):
    client.force_login(member)
    posted = {"unit": unit.code, "until": "2030-01-01T00:00", "reason": "自己延期"}
    assert client.get(page_url(gx)).status_code == 404
    assert client.post(page_url(gx), posted).status_code == 404
    assert Participation.objects.get(unit=unit).extension_until is None
