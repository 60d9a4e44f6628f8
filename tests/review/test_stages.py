"""The office's stage bar and next step, the ranking's bulk actions offered only where they apply,
and refusals that say what to do first: one nomination walked from hand-in to publicity."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, CHINA, complete_nomination
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.nominations.trail import trail_of
from tuixuan.review import services
from tuixuan.review.models import Announcement
from tuixuan.review.stages import progress
from tuixuan.showcase import services as showcase
from tuixuan.units.models import Role, RoleKind

AFTER_DEADLINE = datetime(2025, 3, 1, 10, 0, tzinfo=CHINA)


def expert(campaign, name="judge"):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(name, first_name="评审甲")
    Role.objects.create(user=user, kind=RoleKind.REVIEWER, campaign=campaign)
    return user


def score_all(judge, nomination):
    nomination.refresh_from_db()
    assignment = nomination.assignments.get(reviewer=judge)
    rubric = nomination.category.rubric.all()
    services.submit_scores(judge, assignment, {item.key: item.max_score for item in rubric})


def where(campaign, now=AFTER_DEADLINE):
    """The current stage's key and its next steps' texts."""
    shown = progress(campaign, now=now)
    return (shown.current.key if shown.current else None), [step.text for step in shown.next]


@pytest.fixture
def office(client, organiser):
    client.force_login(organiser)
    return client


def test_the_stage_bar_follows_one_nomination_from_hand_in_to_publicity(
    office, gx, unit, member, organiser
):
    assert where(gx, now=BEFORE_DEADLINE) == ("collect", ["报送截止时间：2025年2月13日 23:59。"])
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    stage, steps = where(gx, now=BEFORE_DEADLINE)
    assert stage == "collect" and steps[1] == "1个推荐等待形式审查。"  # it need not wait
    assert where(gx) == ("formal", ["1个推荐等待形式审查。"])

    nomination_services.accept(organiser, nomination)
    assert where(gx) == ("experts", ["1个推荐尚未分配评审专家。"])
    judge = expert(gx)
    services.assign(organiser, nomination, judge)
    assert where(gx) == ("experts", ["尚有1项评审任务等待专家评分。"])
    score_all(judge, nomination)
    assert where(gx) == (
        "select",
        ["1个推荐已评完：按排名择优勾选，列入拟推荐（每个类别不超过3个）。"],
    )
    # Before the deadline it is still 收集, and what is ready further on is said after it.
    assert where(gx, now=BEFORE_DEADLINE) == (
        "collect",
        [
            "报送截止时间：2025年2月13日 23:59。",
            "1个推荐已评完：按排名择优勾选，列入拟推荐（每个类别不超过3个）。",
        ],
    )
    page = office.get(reverse("review:office", args=[gx.key])).content.decode()
    assert '<li class="stage stage-current" data-stage="select" aria-current="step">' in page
    assert '<li class="stage stage-done" data-stage="experts">' in page
    assert f'href="{reverse("review:ranking", args=[gx.key, "volunteer"])}">去排名页</a>' in page

    services.shortlist(organiser, nomination.category, [nomination])
    assert where(gx) == ("announce", ["1个拟推荐尚未公示。"])
    today = timezone.localdate()  # the end typed in: counted, it may be refused (year unknown)
    announcement = services.announce(
        organiser, gx, [nomination], starts_on=today, ends_on=today + timedelta(days=14)
    )
    objection = services.file_objection(
        announcement, nomination, name="张三", contact="13800000000", content="事迹不实"
    )
    ends = (
        f"{announcement.ends_on.year}年{announcement.ends_on.month}月{announcement.ends_on.day}日"
    )
    assert where(gx, now=timezone.now()) == (
        "announce",
        [f"公示期至{ends}，期满后才能推报。", "1条公示异议尚未答复，答复后才能推报。"],
    )
    Announcement.objects.update(starts_on=today - timedelta(days=10), ends_on=today - timedelta(3))
    services.answer_objection(organiser, objection, answer="经核实，事迹属实。")
    assert where(gx, now=timezone.now()) == ("forward", ["公示已结束，1个可推报。"])

    services.forward(organiser, [nomination])
    assert where(gx, now=timezone.now()) == (
        "result",
        ["1个已推报，收到上级结果后记录入选或未入选。"],
    )
    services.record_results(organiser, [nomination], [])
    assert where(gx, now=timezone.now()) == (
        "publicise",
        ["1个入选尚未公开展示：在其审查页点“公开展示”。"],
    )
    showcase.publish(organiser, nomination)
    assert where(gx, now=timezone.now()) == (None, ["本届推选各环节均已完成。"])


def test_the_stage_bar_costs_the_same_queries_for_1_and_30_nominations(
    office, gx, unit, member, organiser
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            progress(gx, now=AFTER_DEADLINE)
        return len(captured)

    first = complete_nomination(member, gx, unit, "project", photos=0)
    Nomination.objects.filter(pk=first.pk).update(status=Status.ACCEPTED)
    one = queries()
    for n in range(29):
        Nomination.objects.create(
            campaign=gx, category=first.category, unit=unit, status=Status.ACCEPTED, name=f"{n}"
        )
    assert queries() == one


@pytest.fixture
def scored(gx, unit, member, organiser):
    """A nomination past formal review whose one expert has scored, not yet marked 已评审."""
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    judge = expert(gx)
    services.assign(organiser, nomination, judge)
    score_all(judge, nomination)
    nomination.refresh_from_db()
    return nomination


def offered(office, campaign, key="volunteer"):
    page = office.get(reverse("review:ranking", args=[campaign.key, key])).content.decode()
    return [
        value
        for value in ("reviewed", "shortlist", "announce", "forward", "selected", "not_selected")
        if f'name="action" value="{value}"' in page
    ], page


def test_the_ranking_offers_only_the_bulk_actions_its_rows_allow(office, gx, organiser, scored):
    judge = scored.assignments.get().reviewer
    scored.assignments.update(scored_at=None)
    actions, page = offered(office, gx)
    assert actions == []  # the expert has not scored: nothing to do here yet
    assert "本类别目前没有可批量办理的操作" in page
    assert f'value="{scored.uid}"' not in page  # nothing to tick either
    score_all(judge, scored)
    actions, page = offered(office, gx)
    assert actions == ["reviewed", "shortlist"]
    assert f'data-uid="{scored.uid}" data-actions="reviewed shortlist"' in page
    assert '列入拟推荐<span class="count">（1个）</span>' in page
    services.shortlist(organiser, scored.category, [scored])
    assert offered(office, gx)[0] == ["announce"]
    today = timezone.localdate()  # the end typed in: counted, it may be refused (year unknown)
    services.announce(organiser, gx, [scored], starts_on=today, ends_on=today + timedelta(14))
    assert offered(office, gx)[0] == []  # 推报 waits for the 公示 to end
    Announcement.objects.update(ends_on=timezone.localdate() - timedelta(days=1))
    assert offered(office, gx)[0] == ["forward"]
    services.forward(organiser, [scored])
    assert offered(office, gx)[0] == ["selected", "not_selected"]


def test_shortlisting_a_scored_nomination_marks_it_reviewed_first_and_the_trail_says_both(
    office, gx, scored
):
    before = AuditEvent.objects.count()
    response = office.post(
        reverse("review:ranking", args=[gx.key, "volunteer"]),
        {"chosen": [str(scored.uid)], "action": "shortlist"},
    )
    assert response.status_code == 302
    scored.refresh_from_db()
    assert scored.status == Status.SHORTLISTED
    events = AuditEvent.objects.order_by("pk")[before:]
    assert [(e.action, e.from_state, e.to_state) for e in events] == [
        ("nomination.review", "accepted", "reviewed"),
        ("nomination.shortlist", "reviewed", "shortlisted"),
    ]
    page = office.get(reverse("review:nomination", args=[scored.uid])).content.decode()
    assert "分配评审专家：评审甲" in page  # whom the office gave it to, by name
    sentences = [(line.label, line.from_state, line.to_state) for line in trail_of(scored)][-2:]
    assert sentences == [
        ("标记为已评审", "形式审查通过", "已评审"),
        ("列入拟推荐", "已评审", "拟推荐"),
    ]


def test_a_refusal_says_what_to_do_first(gx, organiser, scored):
    with pytest.raises(Refused) as refused:
        nomination_services.announce(organiser, scored)
    assert refused.value.message == (
        "当前状态为“形式审查通过”，不能公示。请先标记为已评审、列入拟推荐，再公示。"
    )
    services.shortlist(organiser, scored.category, [scored])
    today = timezone.localdate()  # the end typed in: counted, it may be refused (year unknown)
    services.announce(organiser, gx, [scored], starts_on=today, ends_on=today + timedelta(14))
    with pytest.raises(Refused) as refused:
        nomination_services.record_result(organiser, scored, selected=True)
    assert refused.value.message == (
        "当前状态为“公示中”，不能记录为入选。请在公示期满后先推报，再记录为入选。"
    )
    scored.refresh_from_db()
    assert scored.status == Status.ANNOUNCED


def test_shortlisting_while_an_expert_still_scores_is_refused_and_marks_nothing(
    gx, organiser, scored
):
    scored.assignments.update(scored_at=None)
    events = AuditEvent.objects.count()
    with pytest.raises(Refused, match="尚有专家未完成评分（1位），不能列入拟推荐"):
        services.shortlist(organiser, scored.category, [scored])
    scored.refresh_from_db()
    assert scored.status == Status.ACCEPTED
    assert AuditEvent.objects.count() == events


def test_the_ranking_page_takes_a_typed_end_for_the_announcement(office, gx, organiser, scored):
    """Where the working days cannot be counted (a year the holiday data does not know yet), the
    refusal asks for the end date: the ranking page has the field, and checks it."""
    services.shortlist(organiser, scored.category, [scored])
    actions, page = offered(office, gx)
    assert actions == ["announce"]
    assert 'name="ends_on"' in page
    url = reverse("review:ranking", args=[gx.key, "volunteer"])
    today = timezone.localdate()

    def announce(ends_on):
        return office.post(
            url, {"chosen": [str(scored.uid)], "action": "announce", "ends_on": ends_on}
        )

    for typed, said in [
        ((today - timedelta(days=1)).isoformat(), "公示截止日期不能早于开始日期"),
        ("下周五", "请按“2025-03-14”的格式填写日期"),
    ]:
        refused = announce(typed)
        assert refused.status_code == 400
        assert said in refused.content.decode()
        assert not Announcement.objects.exists()
        scored.refresh_from_db()
        assert scored.status == Status.SHORTLISTED

    assert announce((today + timedelta(days=20)).isoformat()).status_code == 302
    assert Announcement.objects.get().ends_on == today + timedelta(days=20)
    scored.refresh_from_db()
    assert scored.status == Status.ANNOUNCED
