"""Experts: balanced assignment, conflicts, scoring, and ranking by hand-computed totals."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied

from tests.conftest import make_member, make_unit, scored_by_an_expert
from tuixuan.common.exceptions import Refused
from tuixuan.nominations.models import Nomination, Status
from tuixuan.review import services
from tuixuan.review.models import Assignment
from tuixuan.units.models import Role, RoleKind, UnitKind


def expert(campaign, name, unit=None):
    user = get_user_model().objects.create_user(name)
    Role.objects.create(user=user, kind=RoleKind.REVIEWER, campaign=campaign, unit=unit)
    return user


def accepted(campaign, unit, key="volunteer", name="候选人"):
    """An accepted nomination, made directly: these tests are about what happens after."""
    category = campaign.categories.get(key=key)
    return Nomination.objects.create(
        campaign=campaign, category=category, unit=unit, status=Status.ACCEPTED, name=name
    )


@pytest.fixture
def sixty(gx):
    units = [make_unit(gx, f"u{n}", f"单位{n}", UnitKind.SOCIETY) for n in range(10)]
    keys = ["volunteer", "organisation", "project", "service-point"]
    return [accepted(gx, units[n % 10], keys[n % 4], f"候选{n}") for n in range(60)]


def test_sixty_nominations_nine_experts_three_each_loads_differ_by_at_most_one(
    gx, organiser, sixty
):
    experts = [expert(gx, f"expert{n}") for n in range(9)]
    done = services.auto_assign(organiser, gx, per_nomination=3)
    assert (done.made, done.short, done.shortfall) == (180, {}, "")
    loads = [Assignment.objects.filter(reviewer=e).count() for e in experts]
    assert max(loads) - min(loads) <= 1
    for nomination in sixty:
        reviewers = list(nomination.assignments.values_list("reviewer_id", flat=True))
        assert len(reviewers) == 3 and len(set(reviewers)) == 3


def test_no_expert_reviews_their_own_units_nominations_or_a_declared_conflict(gx, organiser, sixty):
    own_unit = sixty[0].unit
    insider = expert(gx, "insider", unit=own_unit)
    others = [expert(gx, f"expert{n}") for n in range(4)]
    declined = Assignment.objects.create(
        nomination=sixty[1], reviewer=others[0], conflict=True, conflict_reason="曾共事"
    )
    services.auto_assign(organiser, gx, per_nomination=3)
    assert not Assignment.objects.filter(reviewer=insider, nomination__unit=own_unit).exists()
    assert Assignment.objects.filter(reviewer=insider).exists()
    assert list(sixty[1].assignments.filter(reviewer=others[0])) == [declined]
    assert sixty[1].assignments.filter(conflict=False).count() == 3
    with pytest.raises(Refused, match="存在关联或已声明利益冲突"):
        services.assign(organiser, sixty[0], insider)


def test_running_auto_assign_again_adds_nothing(gx, organiser, sixty):
    [expert(gx, f"expert{n}") for n in range(9)]
    services.auto_assign(organiser, gx, per_nomination=3)
    assert services.auto_assign(organiser, gx, per_nomination=3).made == 0


def test_too_few_experts_are_assigned_and_the_shortfall_is_told_and_ranked(gx, organiser):
    """One expert against the campaign's three per nomination: each nomination gets the one
    there is, the organiser is told how many are missing, and the ranking marks them."""
    assert gx.reviewers_per_nomination == 3
    unit = make_unit(gx)
    own = expert(gx, "only", unit=unit)  # cannot review its own unit's nominations
    elsewhere = make_unit(gx, "other", "另一单位")
    first, second = accepted(gx, elsewhere, name="甲"), accepted(gx, elsewhere, name="乙")
    mine = accepted(gx, unit, name="丙")
    done = services.auto_assign(organiser, gx)
    assert done.made == 2
    assert done.short == {first.pk: 2, second.pk: 2, mine.pk: 3}
    assert done.shortfall == (
        "3个推荐未能分配到每个推荐3位评审专家，至少还需增加3位评审专家（共缺7人次）；"
        "这些推荐在排名页标为“专家不足”。请增加评审专家后再次自动分配，或手动分配。"
    )
    assert set(first.assignments.values_list("reviewer", flat=True)) == {own.pk}
    ranked = {r.nomination.name: r for r in services.ranking(gx, first.category)}
    assert [(ranked[n].under_covered, ranked[n].assigned) for n in "甲乙丙"] == [
        (True, 1),
        (True, 1),
        (True, 0),
    ]
    for n in range(2):
        expert(gx, f"more{n}")
    assert services.auto_assign(organiser, gx).short == {mine.pk: 1}
    ranked = {r.nomination.name: r.under_covered for r in services.ranking(gx, first.category)}
    assert ranked == {"甲": False, "乙": False, "丙": True}


def test_only_the_organiser_may_assign(gx, unit, member, sixty):
    expert(gx, "expert")
    with pytest.raises(PermissionDenied):
        services.auto_assign(member, gx)


@pytest.fixture
def scored_setup(gx, organiser):
    unit = make_unit(gx)
    nomination = accepted(gx, unit, "volunteer", "李秀梅")
    experts = [expert(gx, f"e{n}") for n in range(3)]
    assignments = [services.assign(organiser, nomination, e) for e in experts]
    return nomination, experts, assignments


def score(expert_user, assignment, deeds, example, service, materials):
    values = {"deeds": deeds, "example": example, "service": service, "materials": materials}
    return services.submit_scores(expert_user, assignment, values, comment="事迹扎实")


def test_ranking_uses_weighted_totals_and_the_mean_computed_by_hand(gx, organiser, scored_setup):
    nomination, experts, assignments = scored_setup
    gx.categories.get(key="volunteer").rubric.filter(key="deeds").update(weight=Decimal("1.5"))
    score(experts[0], assignments[0], 36, 25, 18, 9)  # 36×1.5 + 25 + 18 + 9 = 106
    score(experts[1], assignments[1], 30, 20, 15, 8)  # 45 + 20 + 15 + 8 = 88
    score(experts[2], assignments[2], 40, 30, 20, 10)  # 60 + 30 + 20 + 10 = 120
    [ranked] = services.ranking(gx, nomination.category)
    assert ranked.total == Decimal("104.67")  # (106 + 88 + 120) / 3
    assert (ranked.reviewers, ranked.spread) == (3, Decimal("32"))


def test_the_trimmed_mean_drops_one_highest_and_one_lowest(gx, organiser, scored_setup):
    nomination, experts, assignments = scored_setup
    gx.score_aggregate = "trimmed_mean"
    gx.save()
    score(experts[0], assignments[0], 36, 25, 18, 9)  # 88
    score(experts[1], assignments[1], 30, 20, 15, 8)  # 73
    score(experts[2], assignments[2], 40, 30, 20, 10)  # 100
    [ranked] = services.ranking(gx, nomination.category)
    assert ranked.total == Decimal("88.00")


def test_candidates_are_ranked_highest_first_and_unscored_last(gx, organiser):
    unit = make_unit(gx)
    high, low, _unscored = (accepted(gx, unit, "project", n) for n in ("高分", "低分", "未评"))
    judge = expert(gx, "judge")
    values = {"impact": 30, "position": 25, "management": 25, "replicable": 20}
    services.submit_scores(judge, services.assign(organiser, high, judge), values)
    services.submit_scores(judge, services.assign(organiser, low, judge), {**values, "impact": 1})
    names = [r.nomination.name for r in services.ranking(gx, high.category)]
    assert names == ["高分", "低分", "未评"]


def test_a_score_above_the_maximum_or_not_a_number_is_refused_by_line(gx, scored_setup):
    _nomination, experts, assignments = scored_setup
    with pytest.raises(Refused) as refused:
        score(experts[0], assignments[0], 41, "很好", 18, 9)
    assert refused.value.errors == {
        "deeds": "“事迹突出、群众公认（条件3）”：分数应在0到40之间。",
        "example": "“示范带动与宣传价值（条件4）”：请填写0到30之间的分数。",
    }
    assert not assignments[0].scores.exists()


def test_an_expert_cannot_score_someone_elses_assignment(gx, scored_setup):
    _nomination, experts, assignments = scored_setup
    with pytest.raises(PermissionDenied):
        score(experts[1], assignments[0], 1, 1, 1, 1)


def test_a_declared_conflict_removes_the_expert_from_the_ranking(gx, scored_setup):
    nomination, experts, assignments = scored_setup
    score(experts[0], assignments[0], 40, 30, 20, 10)
    services.declare_conflict(experts[0], assignments[0], reason="与候选人同一课题组")
    with pytest.raises(Refused, match="已声明利益冲突"):
        score(experts[0], assignments[0], 40, 30, 20, 10)
    [ranked] = services.ranking(gx, nomination.category)
    assert (ranked.total, ranked.reviewers) == (None, 0)


def test_review_closes_only_when_every_expert_has_scored(gx, organiser, scored_setup):
    nomination, experts, assignments = scored_setup
    score(experts[0], assignments[0], 40, 30, 20, 10)
    with pytest.raises(Refused, match="尚有专家未完成评分"):
        services.mark_reviewed(organiser, [nomination])
    for e, a in zip(experts[1:], assignments[1:], strict=True):
        score(e, a, 30, 20, 10, 5)
    services.mark_reviewed(organiser, [nomination])
    nomination.refresh_from_db()
    assert nomination.status == Status.REVIEWED


def test_shortlisting_stops_at_the_number_the_level_above_accepts(gx, organiser):
    unit = make_unit(gx)
    reviewed = []
    for n in range(4):
        nomination = accepted(gx, unit, "project", f"项目{n}")
        nomination.status = Status.REVIEWED
        nomination.save()
        reviewed.append(scored_by_an_expert(nomination))
    category = reviewed[0].category
    assert services.shortlist(organiser, category, reviewed[:3]) == 3
    with pytest.raises(Refused) as refused:
        services.shortlist(organiser, category, reviewed[3:])
    assert refused.value.rule_id == "G7"
    assert "每个类别择优推报不超过3个，已列入3个" in refused.value.message
    statuses = sorted(Nomination.objects.filter(category=category).values_list("status", flat=True))
    assert statuses == [Status.REVIEWED] + [Status.SHORTLISTED] * 3


def test_the_campaign_file_carries_the_rubric_and_the_review_settings(gx):
    volunteer = gx.categories.get(key="volunteer")
    assert [(i.key, i.max_score) for i in volunteer.rubric.all()] == [
        ("deeds", 40),
        ("example", 30),
        ("service", 20),
        ("materials", 10),
    ]
    assert (gx.reviewers_per_nomination, gx.score_aggregate, gx.shortlist_per_category) == (
        3,
        "mean",
        3,
    )
    assert gx.announcement_working_days == 5


def test_unit_member_is_not_an_expert(gx, unit, organiser):
    member = make_member(unit)
    nomination = accepted(gx, unit)
    with pytest.raises(Refused, match="不是本活动的评审专家"):
        services.assign(organiser, nomination, member)
