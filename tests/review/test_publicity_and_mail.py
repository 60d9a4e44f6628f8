"""公示 with objections, forwarding after it, results, and the e-mails units receive."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.conftest import BEFORE_DEADLINE, complete_nomination, scored_by_an_expert
from tuixuan.campaigns.workdays import FIRST_YEAR, LAST_YEAR, nth_working_day
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import Status
from tuixuan.review import services
from tuixuan.review.models import Objection

MONDAY = date(2025, 4, 7)


@pytest.fixture
def shortlisted(gx, unit, member, organiser):
    member.email = "jingbanren@nanning.example"
    member.save()
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    nomination_services.mark_reviewed(organiser, scored_by_an_expert(nomination))
    nomination_services.shortlist(organiser, nomination)
    nomination.refresh_from_db()
    return nomination


def test_five_working_days_skip_the_weekend():
    assert nth_working_day(MONDAY, 5) == date(2025, 4, 11)
    assert nth_working_day(date(2025, 4, 10), 5) == date(2025, 4, 16)


def test_announcing_publishes_the_period_and_the_objection_contact(gx, organiser, shortlisted):
    announcement = services.announce(organiser, gx, [shortlisted], starts_on=MONDAY)
    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.ANNOUNCED
    assert (announcement.starts_on, announcement.ends_on) == (MONDAY, date(2025, 4, 11))
    assert "0771-2863980" in announcement.objection_contact


def test_a_five_working_day_announcement_spans_national_day_and_mid_autumn_2025(
    gx, organiser, shortlisted
):
    """Fri 26 Sep counts, Sat 27 does not, Sun 28 Sep is a 调休 working day, Mon 29 and Tue 30
    count, 1–8 October are 国庆·中秋: the fifth working day is Thursday 9 October (Monday to
    Friday alone would have ended it on 2 October, in the middle of the holiday)."""
    announcement = services.announce(organiser, gx, [shortlisted], starts_on=date(2025, 9, 26))
    assert announcement.ends_on == date(2025, 10, 9)
    assert nth_working_day(date(2025, 10, 1), 1) == date(2025, 10, 9)
    assert nth_working_day(date(2025, 10, 9), 3) == date(2025, 10, 11)  # Saturday, 调休


def test_the_campaign_file_adds_announced_changes_and_beyond_the_known_years_is_refused(
    gx, organiser, shortlisted
):
    gx.calendar = {"working_days": ["2025-09-27"]}
    gx.save()
    announcement = services.announce(organiser, gx, [shortlisted], starts_on=date(2025, 9, 26))
    # 26 (Fri), 27 (Sat, made a working day by the file), 28 (Sun, 调休), 29, 30: five.
    assert announcement.ends_on == date(2025, 9, 30)
    # A day the file makes a holiday: 28, 29, 30, 9 and 10 October.
    assert nth_working_day(date(2025, 9, 26), 5, {"holidays": ["2025-09-26"]}) == date(2025, 10, 10)

    with pytest.raises(Refused) as refused:
        nth_working_day(date(LAST_YEAR, 12, 28), 5)
    assert refused.value.message == (
        f"{LAST_YEAR + 1}-01-01所在的{LAST_YEAR + 1}年不在节假日数据已知的年份"
        f"（{FIRST_YEAR}—{LAST_YEAR}年）内，无法计算工作日；请手动填写截止日期，"
        "或在活动文件[campaign.calendar]中写明该年的放假和调休安排。"
    )
    named = {"working_days": [f"{LAST_YEAR + 1}-01-02"]}
    assert nth_working_day(date(LAST_YEAR + 1, 1, 2), 1, named) == date(LAST_YEAR + 1, 1, 2)


def test_forwarding_waits_for_the_period_and_for_every_objection_to_be_answered(
    gx, organiser, shortlisted
):
    announcement = services.announce(organiser, gx, [shortlisted], starts_on=MONDAY)
    objection = services.file_objection(
        announcement,
        shortlisted,
        name="张三",
        contact="13900000000",
        content="其服务年限不足三年。",
        today=MONDAY + timedelta(days=1),
    )
    with pytest.raises(Refused, match="公示期至2025年04月11日，期满后才能推报"):
        services.forward(organiser, [shortlisted], today=date(2025, 4, 11))
    with pytest.raises(Refused) as refused:
        services.forward(organiser, [shortlisted], today=date(2025, 4, 14))
    assert (refused.value.rule_id, refused.value.message) == (
        "G7",
        "“李秀梅”尚有1条公示异议未答复，不能推报；请先在“公示异议”页答复。",
    )
    services.answer_objection(
        organiser, objection, answer="经核实，其2019年5月起参加服务，已满3年。"
    )
    services.forward(organiser, [shortlisted], today=date(2025, 4, 14))
    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.FORWARDED


def test_an_objection_needs_a_real_name_a_contact_and_reasons(gx, organiser, shortlisted):
    announcement = services.announce(organiser, gx, [shortlisted], starts_on=MONDAY)
    with pytest.raises(Refused) as refused:
        services.file_objection(
            announcement, shortlisted, name="", contact="", content="", today=MONDAY
        )
    assert set(refused.value.errors) == {"name", "contact", "content"}
    with pytest.raises(Refused, match="不在公示期内"):
        services.file_objection(
            announcement,
            shortlisted,
            name="张三",
            contact="x",
            content="y",
            today=date(2025, 4, 12),
        )


def test_the_public_announcement_page_shows_names_and_units_but_no_private_data(
    client, gx, organiser, shortlisted
):
    announcement = services.announce(organiser, gx, [shortlisted], starts_on=MONDAY)
    page = client.get(reverse("review:announcement", args=[announcement.pk])).content.decode()
    assert "李秀梅" in page and "南宁市科学技术协会" in page and "最美科技志愿者" in page
    assert "2025年4月7日" in page and "2025年4月11日" in page and "0771-2863980" in page
    for private in ("phone", "address", "birth", "political_status"):
        assert str(shortlisted.values[private]) not in page


def test_the_public_can_object_on_the_page_and_only_the_organiser_sees_who(
    client, gx, organiser, shortlisted
):
    today = date.today()  # its end typed in: counted, it may be refused (a year not yet known)
    announcement = services.announce(
        organiser, gx, [shortlisted], starts_on=today, ends_on=today + timedelta(days=14)
    )
    url = reverse("review:announcement", args=[announcement.pk])
    response = client.post(
        url, {"nomination": str(shortlisted.uid), "name": "", "contact": "", "content": ""}
    )
    assert response.status_code == 400
    assert "“真实姓名”：请填写真实姓名。" in response.content.decode()
    data = {
        "nomination": str(shortlisted.uid),
        "name": "王五",
        "contact": "wangwu@example.cn",
        "content": "事迹有夸大",
    }
    assert client.post(url, data).status_code == 302
    assert "wangwu@example.cn" not in client.get(url).content.decode()
    client.force_login(organiser)
    page = client.get(reverse("review:objections", args=[gx.key])).content.decode()
    assert "王五" in page and "wangwu@example.cn" in page and "事迹有夸大" in page


def test_results_are_recorded_after_forwarding(gx, organiser, shortlisted):
    services.announce(organiser, gx, [shortlisted], starts_on=MONDAY)
    services.forward(organiser, [shortlisted], today=date(2025, 4, 14))
    services.record_results(organiser, [shortlisted], [])
    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.SELECTED


def test_units_are_told_by_mail_of_return_acceptance_shortlist_and_result(
    gx, unit, member, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    member.email = "jingbanren@nanning.example"
    member.save()
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        nomination_services.return_for_revision(organiser, nomination, reason="请补充证明材料")
    [mail] = mailoutbox
    assert mail.to == ["jingbanren@nanning.example"]
    assert mail.subject == "【推选】“李秀梅”被退回修改"
    assert "退回理由：请补充证明材料" in mail.body
    assert nomination.values["phone"] not in mail.body
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        nomination_services.accept(organiser, nomination)
        nomination_services.mark_reviewed(organiser, scored_by_an_expert(nomination))
        nomination_services.shortlist(organiser, nomination)
    assert [m.subject for m in mailoutbox[1:]] == [
        "【推选】“李秀梅”已通过形式审查",
        "【推选】“李秀梅”已列入拟推荐名单",
    ]
    services.announce(organiser, gx, [nomination], starts_on=MONDAY)
    services.forward(organiser, [nomination], today=date(2025, 4, 14))
    with django_capture_on_commit_callbacks(execute=True):
        services.record_results(organiser, [], [nomination])
    assert mailoutbox[-1].subject == "【推选】“李秀梅”评选结果"
    assert "未入选" in mailoutbox[-1].body


def test_an_objection_longer_than_is_kept_is_refused_not_cut(client, gx, organiser, shortlisted):
    """Defect fixed: an objection over 5000 characters was stored cut to 5000 without a word."""
    today = date.today()  # its end typed in: counted, it may be refused (a year not yet known)
    announcement = services.announce(
        organiser, gx, [shortlisted], starts_on=today, ends_on=today + timedelta(days=14)
    )
    url = reverse("review:announcement", args=[announcement.pk])
    data = {
        "nomination": str(shortlisted.uid),
        "name": "王五",
        "contact": "wangwu@example.cn",
        "content": "夸" * 5001,
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "“异议内容”：" in response.content.decode()
    assert not Objection.objects.exists()
