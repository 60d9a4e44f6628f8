"""列入拟推荐 one nomination at a time obeys the same two guards as the office's bulk action:
the forwarding cap of its category and "every assigned expert has scored". Each refusal is in
Chinese, cites the rule as the campaign file numbers it (here renumbered Z7, to show it is not
written in the code) and changes nothing — through the service, the ranking page and the API."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import make_unit, scored_by_an_expert
from tuixuan.campaigns.models import Criterion
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.review import services
from tuixuan.review.models import Assignment
from tuixuan.units.models import Role, RoleKind

SCORES = {"impact": 30, "position": 25, "management": 25, "replicable": 20}


@pytest.fixture
def renumbered(gx):
    """The Guangxi file's forwarding criterion (G7), numbered otherwise; one place per category."""
    Criterion.objects.filter(campaign=gx, category=None, check_kind="forwarding").update(
        rule_id="Z7"
    )
    gx.shortlist_per_category = 1
    gx.save()
    return gx


def project(campaign, unit, name, status):
    """A project in ``status``, made directly, with no expert assigned."""
    return Nomination.objects.create(
        campaign=campaign,
        category=campaign.categories.get(key="project"),
        unit=unit,
        status=status,
        name=name,
    )


def reviewed(campaign, unit, name):
    """A project whose review is closed (its expert's scores are beside the point here)."""
    return scored_by_an_expert(project(campaign, unit, name, Status.REVIEWED))


def expert_still_to_score(campaign, nomination):
    """An expert assigned to ``nomination`` who has not scored: a nomination marked reviewed
    before the single transition checked the scores (the bulk page always did) looks like this."""
    judge = get_user_model().objects.create_user(f"judge-{nomination.pk}")
    Role.objects.create(user=judge, kind=RoleKind.REVIEWER, campaign=campaign)
    return Assignment.objects.create(nomination=nomination, reviewer=judge)


def unchanged(nominations, events):
    """Nothing moved: each nomination still reviewed, no audit event written."""
    for nomination in nominations:
        nomination.refresh_from_db()
        assert nomination.status == Status.REVIEWED, nomination.name
    assert AuditEvent.objects.count() == events


# Through the service ---------------------------------------------------------------------------


def test_one_nomination_at_a_time_cannot_pass_the_forwarding_cap(renumbered, organiser):
    unit = make_unit(renumbered)
    first, second = reviewed(renumbered, unit, "项目甲"), reviewed(renumbered, unit, "项目乙")
    nomination_services.shortlist(organiser, first)
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        nomination_services.shortlist(organiser, second)
    assert refused.value.rule_id == "Z7"
    assert refused.value.message == (
        "“最佳科技志愿服务项目”每个类别择优推报不超过1个，已列入1个，本次又选了1个；请减少勾选。"
    )
    unchanged([second], events)


def test_one_nomination_cannot_be_shortlisted_while_an_expert_has_not_scored(renumbered, organiser):
    nomination = reviewed(renumbered, make_unit(renumbered), "项目甲")
    expert_still_to_score(renumbered, nomination)
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        nomination_services.shortlist(organiser, nomination)
    assert refused.value.rule_id == "Z7"
    assert (
        refused.value.message
        == "“项目甲”尚有专家未完成评分（1位），不能列入拟推荐；请待评分完成后再办理。"
    )
    unchanged([nomination], events)


def test_review_of_one_nomination_cannot_close_while_an_expert_has_not_scored(
    renumbered, organiser
):
    nomination = reviewed(renumbered, make_unit(renumbered), "项目甲")
    Nomination.objects.filter(pk=nomination.pk).update(status=Status.ACCEPTED)
    assignment = expert_still_to_score(renumbered, nomination)
    with pytest.raises(Refused, match="尚有专家未完成评分（1位），不能标记为已评审"):
        nomination_services.mark_reviewed(organiser, nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.ACCEPTED
    services.submit_scores(assignment.reviewer, assignment, SCORES)
    nomination_services.mark_reviewed(organiser, nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.REVIEWED


@pytest.mark.parametrize(
    "close",
    [
        pytest.param(lambda who, n: nomination_services.mark_reviewed(who, n), id="single"),
        pytest.param(lambda who, n: services.mark_reviewed(who, [n]), id="bulk"),
    ],
)
def test_review_cannot_close_without_experts_alike_one_at_a_time_and_in_bulk(
    renumbered, organiser, close
):
    """Nobody assigned is no review: the single and the bulk 标记为已评审 refuse alike, and cite
    no rule of the notice (the forwarding rule is 列入拟推荐's)."""
    nomination = project(renumbered, make_unit(renumbered), "项目甲", Status.ACCEPTED)
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        close(organiser, nomination)
    assert (
        refused.value.message
        == "“项目甲”尚未分配评审专家，不能标记为已评审；请先在“评审分配”页分配。"
    )
    assert refused.value.rule_id is None
    expert_still_to_score(renumbered, nomination)
    with pytest.raises(Refused) as refused:
        close(organiser, nomination)
    assert (
        refused.value.message
        == "“项目甲”尚有专家未完成评分（1位），不能标记为已评审；请待评分完成后再办理。"
    )
    assert refused.value.rule_id is None
    nomination.refresh_from_db()
    assert nomination.status == Status.ACCEPTED
    assert AuditEvent.objects.count() == events


def test_a_nomination_without_experts_is_not_shortlisted(renumbered, organiser):
    unscored = project(renumbered, make_unit(renumbered), "项目丁", Status.REVIEWED)
    with pytest.raises(Refused) as refused:
        nomination_services.shortlist(organiser, unscored)
    assert refused.value.rule_id == "Z7"
    assert (
        refused.value.message
        == "“项目丁”尚未分配评审专家，不能列入拟推荐；请先在“评审分配”页分配。"
    )


def test_a_bulk_shortlist_locks_its_category_once(renumbered, organiser):
    renumbered.shortlist_per_category = 5
    renumbered.save()
    unit = make_unit(renumbered)
    chosen = [reviewed(renumbered, unit, f"项目{n}") for n in range(3)]
    with CaptureQueriesContext(connection) as queries:
        services.shortlist(organiser, chosen[0].category, chosen)
    category_reads = [
        q["sql"] for q in queries if 'FROM "campaigns_category"' in q["sql"] and "WHERE" in q["sql"]
    ]
    assert len(category_reads) == 1, category_reads


def test_the_bulk_shortlist_counts_the_whole_batch_against_the_cap(renumbered, organiser):
    unit = make_unit(renumbered)
    chosen = [reviewed(renumbered, unit, "项目甲"), reviewed(renumbered, unit, "项目乙")]
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        services.shortlist(organiser, chosen[0].category, chosen)
    assert refused.value.rule_id == "Z7"
    assert "已列入0个，本次又选了2个" in refused.value.message
    unchanged(chosen, events)


def test_a_campaign_without_a_cap_shortlists_any_number(gx, organiser):
    gx.shortlist_per_category = None
    gx.save()
    unit = make_unit(gx)
    for n in range(4):
        nomination_services.shortlist(organiser, reviewed(gx, unit, f"项目{n}"))
    assert Nomination.objects.filter(status=Status.SHORTLISTED).count() == 4


# Through the ranking page and the API ----------------------------------------------------------


def ranking_url(campaign):
    return reverse("review:ranking", args=[campaign.key, "project"])


def test_the_ranking_page_refuses_both_with_the_campaigns_rule_id(client, renumbered, organiser):
    unit = make_unit(renumbered)
    taken, over = reviewed(renumbered, unit, "项目甲"), reviewed(renumbered, unit, "项目乙")
    nomination_services.shortlist(organiser, taken)
    waiting = reviewed(renumbered, make_unit(renumbered, "other", "另一单位"), "项目丙")
    expert_still_to_score(renumbered, waiting)
    Nomination.objects.filter(pk=taken.pk).update(status=Status.NOT_SELECTED)  # frees the place
    client.force_login(organiser)
    events = AuditEvent.objects.count()

    response = client.post(
        ranking_url(renumbered), {"chosen": [waiting.uid], "action": "shortlist"}
    )
    assert response.status_code == 400
    assert (
        "【Z7】“项目丙”尚有专家未完成评分（1位），不能列入拟推荐；请待评分完成后再办理。"
        in response.content.decode()
    )
    unchanged([waiting], events)

    Nomination.objects.filter(pk=taken.pk).update(status=Status.SHORTLISTED)
    response = client.post(ranking_url(renumbered), {"chosen": [over.uid], "action": "shortlist"})
    assert response.status_code == 400
    assert "【Z7】“最佳科技志愿服务项目”每个类别择优推报不超过1个，已列入1个" in (
        response.content.decode()
    )
    unchanged([over, waiting], events)


def test_the_api_refuses_both_with_the_campaigns_rule_id(client, renumbered, organiser):
    unit = make_unit(renumbered)
    taken, over = reviewed(renumbered, unit, "项目甲"), reviewed(renumbered, unit, "项目乙")
    waiting = reviewed(renumbered, make_unit(renumbered, "other", "另一单位"), "项目丙")
    expert_still_to_score(renumbered, waiting)
    client.force_login(organiser)
    path = f"/api/v1/office/{renumbered.key}/ranking/project/shortlist"

    def shortlist(nomination):
        body = json.dumps({"nominations": [str(nomination.uid)]})
        return client.post(path, data=body, content_type="application/json")

    events = AuditEvent.objects.count()
    refused = shortlist(waiting)
    assert refused.status_code == 422
    assert refused.json()["rule_id"] == "Z7"
    assert (
        refused.json()["message"]
        == "“项目丙”尚有专家未完成评分（1位），不能列入拟推荐；请待评分完成后再办理。"
    )
    unchanged([waiting], events)

    assert shortlist(taken).status_code == 200
    events = AuditEvent.objects.count()
    refused = shortlist(over)
    assert refused.status_code == 422
    assert refused.json()["rule_id"] == "Z7"
    assert "每个类别择优推报不超过1个，已列入1个，本次又选了1个" in refused.json()["message"]
    unchanged([over], events)
