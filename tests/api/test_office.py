"""The organiser's office over the API: formal review, experts, ranking, shortlist, exports.

Each endpoint is tried by the organiser, the unit's own member, a member of another unit, an
expert and an anonymous caller. On a campaign (public) the refusal is 403; on a nomination or an
export the caller may not see it is 404, and nothing changes.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.api.conftest import as_user, call, expert, secret_for
from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tests.fixtures.calendar import naming_unknown_days
from tuixuan.campaigns import checks
from tuixuan.campaigns.workdays import FIRST_YEAR, LAST_YEAR
from tuixuan.common.models import AuditEvent
from tuixuan.documents.models import Export, ExportState
from tuixuan.documents.tasks import run_export
from tuixuan.nominations import services
from tuixuan.nominations.models import Status
from tuixuan.review import services as review_services
from tuixuan.review.models import Announcement, Assignment
from tuixuan.showcase.models import Publication
from tuixuan.units.models import Participation

pytestmark = pytest.mark.usefixtures("extended")

SCORES = {"deeds": "36", "example": "25", "service": "18", "materials": "9"}


@pytest.fixture
def people(member, outsider, organiser, judge):
    return {"member": member, "outsider": outsider, "organiser": organiser, "judge": judge}


def as_who(client, people, who):
    if who != "anonymous":
        as_user(client, people[who])
    return client


def checklist_ids(nomination):
    return [c.pk for c in checks.manual_criteria(nomination)]


# Listing ---------------------------------------------------------------------------------------


def test_organiser_lists_submitted_nominations_but_not_drafts(client, submitted, draft, organiser):
    response = call(client, "get", "/office/gx-2024/nominations", token=secret_for(organiser))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    assert [i["uid"] for i in data["items"]] == [str(submitted.uid)]
    assert data["items"][0]["values"]["phone"] == "13807710001"  # the organiser sees everything


def test_an_office_list_row_is_the_nomination_as_its_own_answer_gives_it(
    client, submitted, organiser
):
    """The list's rows are made without the single answer's resolvers (issue 18): every field
    the same, the status label in the asker's language."""
    client = as_user(client, organiser)
    for language, label in (("zh-hans", "已提交"), ("en", "Submitted")):
        headers = {"Accept-Language": language}
        [row] = call(client, "get", "/office/gx-2024/nominations", headers=headers).json()["items"]
        one = call(client, "get", f"/nominations/{submitted.uid}", headers=headers).json()
        assert row == one
        assert (row["campaign"], row["category"], row["unit"]) == (
            "gx-2024",
            "volunteer",
            "nanning-cast",
        )
        assert (row["status"], row["status_label"]) == ("submitted", label)


def test_office_list_filters_and_pages(client, gx, unit, member, organiser, submitted):
    for n in range(2):
        project = complete_nomination(member, gx, unit, "project", name=f"项目{n}")
        services.submit(member, project, now=BEFORE_DEADLINE)
    client = as_user(client, organiser)

    def count(query):
        response = call(client, "get", f"/office/gx-2024/nominations?{query}")
        assert response.status_code == 200, response.json()
        return response.json()["count"], len(response.json()["items"])

    assert count("") == (3, 3)
    assert count("category=project") == (2, 2)
    assert count("status=submitted&unit=nanning-cast") == (3, 3)
    assert count("status=accepted") == (0, 0)
    assert count("limit=2&offset=2") == (3, 1)
    bad = call(client, "get", "/office/gx-2024/nominations?status=lost")
    assert bad.status_code == 422 and bad.json()["field"] == "status"


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403)])
def test_only_the_organiser_lists_the_office(client, people, submitted, who, status):
    response = call(as_who(client, people, who), "get", "/office/gx-2024/nominations")
    assert response.status_code == status
    assert response.json()["message"] == "只有该活动的组织方可以进行此操作。"
    assert "李秀梅" not in response.content.decode()


def test_office_of_an_unknown_campaign_is_404_and_anonymous_is_401(client, organiser):
    assert call(client, "get", "/office/gx-2024/nominations").status_code == 401
    response = call(as_user(client, organiser), "get", "/office/gx-2099/nominations")
    assert response.status_code == 404


def test_organiser_of_another_campaign_is_refused(client, gx, submitted):
    from django.contrib.auth import get_user_model

    from tuixuan.campaigns.models import Campaign
    from tuixuan.units.models import Role, RoleKind

    other = Campaign.objects.create(
        key="other",
        title="另一活动",
        year=2025,
        level="city",
        issuer="某科协",
        organiser="某科协",
        deadline=gx.deadline,
        reference_date=gx.reference_date,
        quota_per_unit=3,
        stamped_pdf_max_bytes=1,
    )
    stranger = get_user_model().objects.create_user("stranger")
    Role.objects.create(user=stranger, kind=RoleKind.ORGANISER, campaign=other)
    client = as_user(client, stranger)
    assert call(client, "get", "/office/gx-2024/nominations").status_code == 403
    body = {"checked": checklist_ids(submitted)}
    assert (
        call(client, "post", f"/office/nominations/{submitted.uid}/accept", body).status_code == 404
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


# Formal review: checklist, accept, return --------------------------------------------------------


def test_organiser_reads_the_checklist_and_accepts_with_every_item_ticked(
    client, submitted, organiser
):
    client = as_user(client, organiser)
    items = call(client, "get", f"/office/nominations/{submitted.uid}/checklist").json()
    assert [i["id"] for i in items] == checklist_ids(submitted)
    assert all(i["rule_id"] and i["text"] for i in items)
    body = {"checked": [i["id"] for i in items], "reason": "材料齐全"}
    response = call(client, "post", f"/office/nominations/{submitted.uid}/accept", body)
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    event = AuditEvent.objects.get(nomination=submitted, action="nomination.accept")
    assert event.actor == organiser


def test_accepting_with_an_unticked_item_is_422_and_nothing_changes(client, submitted, organiser):
    body = {"checked": checklist_ids(submitted)[1:]}
    response = call(
        as_user(client, organiser), "post", f"/office/nominations/{submitted.uid}/accept", body
    )
    assert response.status_code == 422
    assert response.json()["field"] == "checked"
    assert "人工审核清单尚有1项未勾选" in response.json()["message"]
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_accepting_with_an_open_past_winner_flag_is_refused_with_g4(client, submitted, organiser):
    from tuixuan.nominations.models import Flag, FlagKind

    Flag.objects.create(
        nomination=submitted, kind=FlagKind.PAST_WINNER, rule_id="G4", detail="同名"
    )
    body = {"checked": checklist_ids(submitted)}
    response = call(
        as_user(client, organiser), "post", f"/office/nominations/{submitted.uid}/accept", body
    )
    assert response.status_code == 422
    assert response.json()["rule_id"] == "G4"


@pytest.mark.parametrize(
    ("who", "status"),
    [("member", 403), ("outsider", 404), ("judge", 404), ("anonymous", 401)],
)
def test_only_the_organiser_accepts_returns_or_reads_the_checklist(
    client, people, submitted, who, status
):
    client = as_who(client, people, who)
    base = f"/office/nominations/{submitted.uid}"
    body = {"checked": checklist_ids(submitted)}
    assert call(client, "post", f"{base}/accept", body).status_code == status
    assert call(client, "post", f"{base}/return", {"reason": "请补充"}).status_code == status
    reading = call(client, "get", f"{base}/checklist").status_code
    assert reading == (401 if who == "anonymous" else 404)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_organiser_returns_with_a_reason(client, submitted, organiser):
    path = f"/office/nominations/{submitted.uid}/return"
    client = as_user(client, organiser)
    blank = call(client, "post", path, {"reason": "  "})
    assert blank.status_code == 422
    assert (blank.json()["field"], blank.json()["message"]) == ("reason", "退回修改必须填写理由。")
    missing = call(client, "post", path, {})
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    response = call(client, "post", path, {"reason": "请补充事迹"})
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    event = AuditEvent.objects.get(nomination=submitted, action="nomination.return")
    assert event.reason == "请补充事迹"


def test_returning_a_draft_is_refused_by_state(client, draft, organiser):
    path = f"/office/nominations/{draft.uid}/return"
    response = call(as_user(client, organiser), "post", path, {"reason": "请补充"})
    assert response.status_code == 422
    assert response.json()["message"] == "当前状态为“草稿”，不能退回修改。"


# Experts, scores and ranking -------------------------------------------------------------------


def test_organiser_auto_assigns_experts(client, gx, accepted, organiser):
    for n in range(4):
        expert(gx, f"expert{n}")
    client = as_user(client, organiser)
    response = call(client, "post", "/office/gx-2024/auto-assign", {"per_nomination": 2})
    assert response.status_code == 200
    assert response.json() == {"assignments": 2, "shortfall": "", "under_covered": []}
    assert Assignment.objects.filter(nomination=accepted).count() == 2
    assert call(client, "post", "/office/gx-2024/auto-assign").json()["assignments"] == 1


def test_auto_assign_says_how_many_experts_are_missing(client, gx, accepted, organiser, judge):
    response = call(
        as_user(client, organiser), "post", "/office/gx-2024/auto-assign", {"per_nomination": 3}
    )
    assert response.status_code == 200
    answer = response.json()
    assert answer["assignments"] == 1  # the one expert there is
    assert answer["under_covered"] == [str(accepted.uid)]
    assert answer["shortfall"].startswith(
        "1个推荐未能分配到每个推荐3位评审专家，至少还需增加2位评审专家（共缺2人次）"
    )


def test_auto_assign_without_experts_is_422(client, accepted, organiser):
    response = call(as_user(client, organiser), "post", "/office/gx-2024/auto-assign")
    assert response.status_code == 422
    assert response.json()["message"] == "本活动还没有评审专家。"


@pytest.mark.parametrize(
    ("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403), ("anonymous", 401)]
)
def test_only_the_organiser_auto_assigns(client, people, gx, accepted, who, status):
    expert(gx, "another")
    response = call(as_who(client, people, who), "post", "/office/gx-2024/auto-assign")
    assert response.status_code == status
    assert not Assignment.objects.filter(reviewer__username="another").exists()


@pytest.fixture
def scored(gx, organiser, assignment, judge):
    """The accepted nomination scored by two experts: totals 88 and 78."""
    second = expert(gx, "second")
    other = review_services.assign(organiser, assignment.nomination, second)
    review_services.submit_scores(judge, assignment, SCORES)
    review_services.submit_scores(second, other, {**SCORES, "deeds": "26"}, comment="尚可")
    return assignment.nomination


def test_organiser_reads_the_ranking_with_totals_reviewers_and_spread(client, scored, organiser):
    response = call(as_user(client, organiser), "get", "/office/gx-2024/ranking/volunteer")
    assert response.status_code == 200
    [row] = response.json()
    assert row["uid"] == str(scored.uid)
    assert (float(row["total"]), row["reviewers"], float(row["spread"])) == (83.0, 2, 10.0)


def test_organiser_reads_the_score_sheets(client, scored, organiser):
    response = call(as_user(client, organiser), "get", f"/office/nominations/{scored.uid}/scores")
    assert response.status_code == 200
    sheets = {s["reviewer"]: s for s in response.json()}
    assert set(sheets) == {"judge", "second"}
    assert float(sheets["second"]["scores"]["deeds"]) == 26
    assert sheets["second"]["comment"] == "尚可"


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("outsider", 404), ("judge", 404)])
def test_units_and_experts_cannot_read_the_score_sheets(client, people, scored, who, status):
    response = call(as_who(client, people, who), "get", f"/office/nominations/{scored.uid}/scores")
    assert response.status_code == status
    ranking = call(client, "get", "/office/gx-2024/ranking/volunteer")
    assert ranking.status_code == 403


def test_ranking_of_an_unknown_category_is_404(client, organiser, gx):
    response = call(as_user(client, organiser), "get", "/office/gx-2024/ranking/hero")
    assert response.status_code == 404


def test_organiser_marks_reviewed_and_shortlists_within_the_g7_limit(client, gx, scored, organiser):
    client = as_user(client, organiser)
    body = {"nominations": [str(scored.uid)]}
    reviewed = call(client, "post", "/office/gx-2024/ranking/volunteer/reviewed", body)
    assert reviewed.status_code == 200 and reviewed.json() == {"done": 1}
    gx.shortlist_per_category = 0
    gx.save()
    refused = call(client, "post", "/office/gx-2024/ranking/volunteer/shortlist", body)
    assert refused.status_code == 422
    assert refused.json()["rule_id"] == "G7"
    scored.refresh_from_db()
    assert scored.status == Status.REVIEWED
    gx.shortlist_per_category = 1
    gx.save()
    done = call(client, "post", "/office/gx-2024/ranking/volunteer/shortlist", body)
    assert done.status_code == 200 and done.json() == {"done": 1}
    scored.refresh_from_db()
    assert scored.status == Status.SHORTLISTED


def test_marking_reviewed_before_every_expert_scored_is_422(
    client, accepted, assignment, organiser
):
    body = {"nominations": [str(accepted.uid)]}
    path = "/office/gx-2024/ranking/volunteer/reviewed"
    response = call(as_user(client, organiser), "post", path, body)
    assert response.status_code == 422
    assert "尚有专家未完成评分" in response.json()["message"]


def test_a_nomination_of_another_category_cannot_be_chosen(client, scored, organiser):
    body = {"nominations": [str(scored.uid)]}
    path = "/office/gx-2024/ranking/project/reviewed"
    response = call(as_user(client, organiser), "post", path, body)
    assert response.status_code == 422
    assert response.json()["field"] == "nominations"


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403)])
def test_only_the_organiser_shortlists(client, people, scored, who, status):
    body = {"nominations": [str(scored.uid)]}
    client = as_who(client, people, who)
    for action in ("reviewed", "shortlist"):
        path = f"/office/gx-2024/ranking/volunteer/{action}"
        assert call(client, "post", path, body).status_code == status
    scored.refresh_from_db()
    assert scored.status == Status.ACCEPTED


# Exports ---------------------------------------------------------------------------------------


def test_organiser_starts_polls_and_downloads_a_summary_export(client, submitted, organiser):
    client = as_user(client, organiser)
    body = {"kind": "summary", "statuses": ["submitted"]}
    started = call(client, "post", "/office/gx-2024/exports", body)
    assert started.status_code == 202
    export_id = started.json()["id"]
    assert (started.json()["state"], started.json()["ready"]) == ("queued", False)
    early = call(client, "get", f"/office/exports/{export_id}/file")
    assert early.status_code == 409
    run_export.call(export_id)  # what the worker does (tests/documents runs the real worker)
    progress = call(client, "get", f"/office/exports/{export_id}").json()
    assert (progress["state"], progress["percent"], progress["ready"]) == ("done", 100, True)
    assert (progress["done"], progress["total"]) == (1, 1)
    file = client.get(f"/api/v1/office/exports/{export_id}/file")
    assert file.status_code == 200
    assert b"".join(file.streaming_content)[:2] == b"PK"  # an xlsx is a zip
    assert "attachment" in file["Content-Disposition"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "everything", "statuses": ["submitted"]}, "kind"),
        ({"kind": "summary", "statuses": []}, "statuses"),
        ({"kind": "summary", "statuses": ["lost"]}, "statuses.0"),
    ],
)
def test_an_export_with_a_bad_kind_or_status_is_422(client, organiser, gx, body, field):
    response = call(as_user(client, organiser), "post", "/office/gx-2024/exports", body)
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert not Export.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403), ("anonymous", 401)]
)
def test_only_the_organiser_exports(client, people, gx, organiser, who, status):
    export = Export.objects.create(
        campaign=gx, requested_by=organiser, kind="summary", statuses=["submitted"]
    )
    client = as_who(client, people, who)
    body = {"kind": "summary", "statuses": ["submitted"]}
    assert call(client, "post", "/office/gx-2024/exports", body).status_code == status
    seen = 401 if who == "anonymous" else 404
    assert call(client, "get", f"/office/exports/{export.pk}").status_code == seen
    assert call(client, "get", f"/office/exports/{export.pk}/file").status_code == seen
    assert Export.objects.count() == 1
    assert Export.objects.get().state == ExportState.QUEUED


@pytest.mark.parametrize("export_id", ["nope", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_export_is_404(client, organiser, gx, export_id):
    response = call(as_user(client, organiser), "get", f"/office/exports/{export_id}")
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该导出。"


def test_organiser_reads_and_clears_a_past_winner_flag_then_accepts(client, submitted, organiser):
    from tuixuan.nominations.models import Flag, FlagKind

    flag = Flag.objects.create(
        nomination=submitted,
        kind=FlagKind.PAST_WINNER,
        rule_id="G4",
        detail="与2021年度入选典型同名",
    )
    client = as_user(client, organiser)
    base = f"/office/nominations/{submitted.uid}"
    listed = call(client, "get", f"{base}/flags").json()
    assert listed == [
        {"id": flag.pk, "kind": "past_winner", "rule_id": "G4", "detail": "与2021年度入选典型同名",
         "status": "open", "reason": ""}
    ]  # fmt: skip
    refused = call(client, "post", f"{base}/flags/{flag.pk}", {"confirmed": False, "reason": ""})
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    cleared = call(
        client, "post", f"{base}/flags/{flag.pk}", {"confirmed": False, "reason": "同名不同人"}
    )
    assert cleared.status_code == 200 and cleared.json()["status"] == "cleared"
    accepted = call(client, "post", f"{base}/accept", {"checked": checklist_ids(submitted)})
    assert accepted.status_code == 200


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("outsider", 404), ("judge", 404)])
def test_only_the_organiser_reads_or_decides_flags(client, people, submitted, who, status):
    from tuixuan.nominations.models import Flag, FlagKind

    flag = Flag.objects.create(
        nomination=submitted, kind=FlagKind.PAST_WINNER, rule_id="G4", detail="同名"
    )
    client = as_who(client, people, who)
    base = f"/office/nominations/{submitted.uid}"
    assert call(client, "get", f"{base}/flags").status_code == status
    body = {"confirmed": True, "reason": "确认"}
    assert call(client, "post", f"{base}/flags/{flag.pk}", body).status_code == status
    flag.refresh_from_db()
    assert flag.status == "open"


def test_organiser_assigns_an_expert_by_hand_but_never_an_insider(
    client, gx, unit, accepted, organiser, judge
):
    from django.contrib.auth import get_user_model

    from tuixuan.units.models import Role, RoleKind

    client = as_user(client, organiser)
    path = f"/office/nominations/{accepted.uid}/assign"
    response = call(client, "post", path, {"reviewer": judge.pk})
    assert response.status_code == 200 and response.json() == {"assignments": 1}
    insider = get_user_model().objects.create_user("insider")
    Role.objects.create(user=insider, kind=RoleKind.REVIEWER, campaign=gx, unit=unit)
    refused = call(client, "post", path, {"reviewer": insider.pk})
    assert refused.status_code == 422
    assert "存在关联或已声明利益冲突" in refused.json()["message"]
    assert call(client, "post", path, {"reviewer": 999999}).status_code == 422
    assert list(accepted.assignments.values_list("reviewer__username", flat=True)) == ["judge"]


# Deadline extensions (G2) ----------------------------------------------------------------------


def test_organiser_extends_a_units_deadline_with_a_reason(client, gx, unit, organiser):
    client = as_user(client, organiser)
    listed = call(client, "get", "/office/gx-2024/units")
    assert listed.status_code == 200
    assert "nanning-cast" in {row["unit"] for row in listed.json()}
    path = "/office/gx-2024/units/nanning-cast/extension"
    body = {"until": "2025-02-20T18:00:00+08:00", "reason": "受灾停电，材料未能按时盖章"}
    response = call(client, "post", path, body)
    assert response.status_code == 200, response.json()
    assert response.json()["deadline"] == "2025-02-20T18:00:00+08:00"
    event = AuditEvent.objects.filter(action="participation.extend").latest("pk")
    assert event.reason == "受灾停电，材料未能按时盖章"
    assert event.data["extension_until"] == "2025-02-20T18:00:00+08:00"
    # and back to the campaign's deadline
    cancelled = call(client, "post", path, {"until": None, "reason": "已按时补交"})
    assert cancelled.status_code == 200
    assert cancelled.json()["extension_until"] is None
    assert cancelled.json()["deadline"] == "2025-02-13T23:59:59+08:00"


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"until": "2025-02-20T18:00:00+08:00", "reason": " "},
            "reason",
            "“延期理由”：批准或取消延期都须填写理由。",
        ),
        (
            {"until": "2025-02-10T18:00:00+08:00", "reason": "补交"},
            "until",
            "“延期至”：须晚于活动的截止时间，否则不是延期。",
        ),
    ],
)
def test_an_extension_without_reason_or_before_the_deadline_is_422(
    client, unit, organiser, body, field, message
):
    before = Participation.objects.get(unit=unit).extension_until
    path = "/office/gx-2024/units/nanning-cast/extension"
    response = call(as_user(client, organiser), "post", path, body)
    assert response.status_code == 422
    assert (response.json()["field"], response.json()["message"]) == (field, message)
    assert Participation.objects.get(unit=unit).extension_until == before


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403)])
def test_only_the_organiser_extends_deadlines(client, people, unit, who, status):
    before = Participation.objects.get(unit=unit).extension_until
    body = {"until": "2030-01-01T00:00:00+08:00", "reason": "自己延期"}
    client = as_who(client, people, who)
    response = call(client, "post", "/office/gx-2024/units/nanning-cast/extension", body)
    assert response.status_code == status
    assert call(client, "get", "/office/gx-2024/units").status_code == status
    assert Participation.objects.get(unit=unit).extension_until == before


def test_extending_an_unknown_unit_is_404(client, organiser, gx):
    body = {"until": "2030-01-01T00:00:00+08:00", "reason": "x"}
    response = call(
        as_user(client, organiser), "post", "/office/gx-2024/units/nowhere/extension", body
    )
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该推荐单位。"


# 公示, objections, 推报, results ----------------------------------------------------------------


@pytest.fixture
def shortlisted(scored, organiser):
    services.mark_reviewed(organiser, scored)
    services.shortlist(organiser, scored)
    scored.refresh_from_db()
    return scored


def announce_over_api(client, nomination, **dates):
    body = {"nominations": [str(nomination.uid)], **dates}
    return call(client, "post", "/office/gx-2024/announcements", body)


def test_organiser_announces_and_the_public_page_is_named(client, shortlisted, organiser):
    client = as_user(client, organiser)
    response = announce_over_api(client, shortlisted, starts_on="2025-03-03")
    assert response.status_code == 201, response.json()
    announced = response.json()
    assert announced["ends_on"] == "2025-03-07"  # five working days
    assert announced["nominations"] == [str(shortlisted.uid)]
    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.ANNOUNCED
    assert client.get(announced["page"]).status_code == 200
    listed = call(client, "get", "/office/gx-2024/announcements").json()
    assert [a["id"] for a in listed] == [announced["id"]]


def test_a_period_in_a_year_the_holiday_data_does_not_know_is_422_until_its_end_is_typed(
    client, shortlisted, organiser
):
    """Counting five working days in a year past the library's would be a guess that could end
    the 公示 on the wrong day: the office is told which year and what to do, nothing changes, and
    the end date it then types is taken as typed."""
    year = LAST_YEAR + 1
    client = as_user(client, organiser)
    refused = announce_over_api(client, shortlisted, starts_on=f"{year}-03-01")
    assert refused.status_code == 422
    assert refused.json()["message"] == (
        f"{year}-03-01所在的{year}年不在节假日数据已知的年份（{FIRST_YEAR}—{LAST_YEAR}年）内，"
        "无法计算工作日；请手动填写截止日期，或在活动文件[campaign.calendar]中写明该年的放假和"
        "调休安排。"
    )
    assert not Announcement.objects.exists()
    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.SHORTLISTED
    typed = announce_over_api(
        client, shortlisted, starts_on=f"{year}-03-01", ends_on=f"{year}-03-12"
    )
    assert typed.status_code == 201, typed.json()
    assert (typed.json()["starts_on"], typed.json()["ends_on"]) == (
        f"{year}-03-01",
        f"{year}-03-12",
    )


def test_announcing_a_nomination_not_shortlisted_is_422(client, accepted, organiser):
    # A start the holiday data knows: today's period may not be countable, and is counted first.
    response = announce_over_api(as_user(client, organiser), accepted, starts_on="2025-03-03")
    assert response.status_code == 422
    assert (
        response.json()["message"]
        == "当前状态为“形式审查通过”，不能公示。请先标记为已评审、列入拟推荐，再公示。"
    )
    assert not Announcement.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403)])
def test_only_the_organiser_announces(client, people, shortlisted, who, status):
    client = as_who(client, people, who)
    assert announce_over_api(client, shortlisted).status_code == status
    assert call(client, "get", "/office/gx-2024/announcements").status_code == status
    assert not Announcement.objects.exists()


def test_organiser_closes_a_long_announcement_after_its_minimum_period(
    client, gx, shortlisted, organiser
):
    today = timezone.localdate()
    announcement = review_services.announce(
        organiser, gx, [shortlisted], starts_on=date(2025, 3, 3), ends_on=today + timedelta(30)
    )
    path = f"/office/announcements/{announcement.pk}/close"
    client = as_user(client, organiser)
    refused = call(client, "post", path, {"reason": ""})
    assert refused.status_code == 422 and refused.json()["field"] == "reason"
    response = call(client, "post", path, {"reason": "公示期已满五个工作日，无异议"})
    assert response.status_code == 200, response.json()
    assert response.json()["ends_on"] == (today - timedelta(1)).isoformat()
    assert response.json()["open"] is False
    again = call(client, "post", path, {"reason": "再次"})
    assert again.status_code == 422 and again.json()["message"].startswith("该公示已于")


def test_an_announcement_cannot_close_before_its_working_days(client, gx, shortlisted, organiser):
    today = timezone.localdate()
    gx.calendar = naming_unknown_days(today)  # closing counts them: a year not yet known is named
    gx.save()
    announcement = review_services.announce(
        organiser, gx, [shortlisted], starts_on=today, ends_on=today + timedelta(30)
    )
    path = f"/office/announcements/{announcement.pk}/close"
    response = call(as_user(client, organiser), "post", path, {"reason": "提前结束"})
    assert response.status_code == 422
    assert response.json()["message"].startswith("公示期不少于5个工作日，至")
    assert response.json()["rule_id"] == "G7"
    announcement.refresh_from_db()
    assert announcement.ends_on == today + timedelta(30)


@pytest.fixture
def announced(gx, shortlisted, organiser):
    """In a 公示 that ended in 2025, with one objection."""
    announcement = review_services.announce(
        organiser, gx, [shortlisted], starts_on=date(2025, 3, 3)
    )
    objection = review_services.file_objection(
        announcement,
        shortlisted,
        name="张三",
        contact="13900000000",
        content="事迹时间有误",
        today=date(2025, 3, 4),
    )
    return announcement, objection


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("outsider", 404), ("judge", 404)])
def test_others_cannot_close_announcements_or_answer_objections(
    client, people, announced, who, status
):
    announcement, objection = announced
    client = as_who(client, people, who)
    closing = call(
        client, "post", f"/office/announcements/{announcement.pk}/close", {"reason": "x"}
    )
    assert closing.status_code == status
    answer = call(client, "post", f"/office/objections/{objection.pk}/answer", {"answer": "x"})
    assert answer.status_code == status
    listed = call(client, "get", "/office/gx-2024/objections")
    assert listed.status_code == 403 and "13900000000" not in listed.content.decode()
    objection.refresh_from_db()
    assert objection.answered_at is None


def test_organiser_answers_the_objection_then_forwards_and_records_the_result(
    client, announced, organiser
):
    objection = announced[1]
    nomination = objection.nomination
    client = as_user(client, organiser)
    body = {"nominations": [str(nomination.uid)]}
    waiting = call(client, "get", "/office/gx-2024/objections?answered=false").json()
    assert [(o["id"], o["name"], o["contact"]) for o in waiting] == [
        (objection.pk, "张三", "13900000000")
    ]
    refused = call(client, "post", "/office/gx-2024/forward", body)
    assert refused.status_code == 422
    assert (
        refused.json()["message"]
        == "“李秀梅”尚有1条公示异议未答复，不能推报；请先在“公示异议”页答复。"
    )
    assert refused.json()["rule_id"] == "G7"
    empty = call(client, "post", f"/office/objections/{objection.pk}/answer", {"answer": " "})
    assert empty.status_code == 422 and empty.json()["message"] == "请填写答复内容。"
    answered = call(
        client, "post", f"/office/objections/{objection.pk}/answer", {"answer": "经核实，时间无误"}
    )
    assert answered.status_code == 200 and answered.json()["answer"] == "经核实，时间无误"
    assert call(client, "get", "/office/gx-2024/objections?answered=false").json() == []
    forwarded = call(client, "post", "/office/gx-2024/forward", body)
    assert forwarded.status_code == 200 and forwarded.json() == {"done": 1}
    nomination.refresh_from_db()
    assert nomination.status == Status.FORWARDED
    both = {"selected": body["nominations"], "not_selected": body["nominations"]}
    assert call(client, "post", "/office/gx-2024/results", both).json()["message"] == (
        "同一推荐不能既入选又未入选。"
    )
    recorded = call(client, "post", "/office/gx-2024/results", {"selected": body["nominations"]})
    assert recorded.status_code == 200 and recorded.json() == {"done": 1}
    nomination.refresh_from_db()
    assert nomination.status == Status.SELECTED


def test_forwarding_during_the_announcement_is_422(client, gx, shortlisted, organiser):
    today = timezone.localdate()  # its end typed in: counted, it may be refused (year unknown)
    review_services.announce(
        organiser, gx, [shortlisted], starts_on=today, ends_on=today + timedelta(days=14)
    )
    body = {"nominations": [str(shortlisted.uid)]}
    response = call(as_user(client, organiser), "post", "/office/gx-2024/forward", body)
    assert response.status_code == 422
    assert response.json()["message"].startswith("“李秀梅”的公示期至")
    shortlisted.refresh_from_db()
    assert shortlisted.status == Status.ANNOUNCED


def test_a_result_before_forwarding_is_refused_by_state(client, shortlisted, organiser):
    body = {"not_selected": [str(shortlisted.uid)]}
    response = call(as_user(client, organiser), "post", "/office/gx-2024/results", body)
    assert response.status_code == 422
    assert (
        response.json()["message"]
        == "当前状态为“拟推荐”，不能记录为未入选。请先公示、推报，再记录为未入选。"
    )


@pytest.mark.parametrize(("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403)])
def test_only_the_organiser_forwards_and_records_results(client, people, announced, who, status):
    nomination = announced[1].nomination
    body = {"nominations": [str(nomination.uid)]}
    client = as_who(client, people, who)
    assert call(client, "post", "/office/gx-2024/forward", body).status_code == status
    results = {"selected": body["nominations"]}
    assert call(client, "post", "/office/gx-2024/results", results).status_code == status
    nomination.refresh_from_db()
    assert nomination.status == Status.ANNOUNCED


# Exemplars --------------------------------------------------------------------------------------


def test_publishing_before_the_result_needs_a_reason_then_takes_it_down(
    client, shortlisted, organiser
):
    client = as_user(client, organiser)
    path = f"/office/nominations/{shortlisted.uid}/publish"
    refused = call(client, "post", path, {})
    assert refused.status_code == 422
    assert refused.json()["field"] == "reason"
    assert refused.json()["message"] == (
        "“李秀梅”当前为“拟推荐”，尚无入选结果，不能作为典型公开展示；"
        "确需提前公开的，请填写“提前公开的理由”。"
    )
    assert not Publication.objects.exists()
    published = call(client, "post", path, {"reason": "全省志愿服务月宣传"})
    assert published.status_code == 200, published.json()
    assert published.json()["before_result"] is True
    exemplar = published.json()["exemplar"]
    assert call(client, "get", f"/exemplars/{exemplar}").status_code == 200
    event = AuditEvent.objects.filter(action="showcase.publish").latest("pk")
    assert event.reason == "全省志愿服务月宣传"
    taken_down = call(client, "delete", path)
    assert taken_down.status_code == 200 and taken_down.json() == {"done": 1}
    assert call(client, "get", f"/exemplars/{exemplar}").status_code == 404
    again = call(client, "delete", path)
    assert again.status_code == 422 and again.json()["message"] == "该推荐没有公开展示。"


@pytest.mark.parametrize(("who", "status"), [("member", 404), ("outsider", 404), ("judge", 404)])
def test_only_the_organiser_publishes_or_takes_down(
    client, people, shortlisted, organiser, who, status
):
    from tuixuan.showcase import services as showcase_services

    path = f"/office/nominations/{shortlisted.uid}/publish"
    client = as_who(client, people, who)
    assert call(client, "post", path, {"reason": "我要公开"}).status_code == status
    assert not Publication.objects.exists()
    showcase_services.publish(organiser, shortlisted, reason="宣传")
    assert call(client, "delete", path).status_code == status
    assert Publication.objects.count() == 1


# 推报至上级活动 ----------------------------------------------------------------------------------


@pytest.fixture
def announced_and_over(gx, scored, organiser):
    """The scored nomination shortlisted and through a 公示 that ended last month; the Guangxi
    CAST (gx-2024's parent_unit) takes part in the parent campaign, its deadline extended."""
    from datetime import timedelta

    from django.utils import timezone

    from tuixuan.units.models import Participation, RecommendingUnit, UnitKind

    nomination = scored
    services.mark_reviewed(organiser, nomination)
    services.shortlist(organiser, nomination)
    started = timezone.localdate() - timedelta(days=40)  # its end typed in: counting may be
    review_services.announce(  # refused in a year the holiday data does not know
        organiser, gx, [nomination], starts_on=started, ends_on=started + timedelta(days=14)
    )
    guangxi = RecommendingUnit.objects.create(
        code="gx-cast", name="广西壮族自治区科学技术协会", kind=UnitKind.OTHER
    )
    Participation.objects.create(
        campaign=gx.parent, unit=guangxi, extension_until=timezone.now() + timedelta(days=30)
    )
    return nomination


def test_organiser_forwards_to_the_parent_campaign_once(client, gx, announced_and_over, organiser):
    as_user(client, organiser)
    response = call(client, "post", "/office/gx-2024/forward-to-parent")
    assert response.status_code == 200, response.json()
    [arrived] = response.json()
    above = gx.parent.nominations.get()
    assert arrived == {
        "uid": str(announced_and_over.uid),
        "parent_uid": str(above.uid),
        "parent_campaign": "national-2024-example",
        "unit": "gx-cast",
        "name": announced_and_over.name,
        "category": "volunteer",
        "status": "submitted",
        "status_label": "已提交",
    }
    assert [e["total"] for e in above.history["experts"]] == ["88.00", "78.00"]
    again = call(client, "post", "/office/gx-2024/forward-to-parent")
    assert again.status_code == 422
    assert "没有可推报至上级活动的推荐" in again.json()["message"]
    assert gx.parent.nominations.count() == 1


def test_forwarding_above_the_parents_deadline_is_422_naming_the_rule(
    client, gx, announced_and_over, organiser
):
    from tuixuan.units.models import Participation

    Participation.objects.filter(campaign=gx.parent).update(extension_until=None)
    response = call(as_user(client, organiser), "post", "/office/gx-2024/forward-to-parent")
    assert response.status_code == 422
    assert response.json()["rule_id"] == "G2"
    assert not gx.parent.nominations.exists()
    announced_and_over.refresh_from_db()
    assert announced_and_over.status == Status.ANNOUNCED


@pytest.mark.parametrize(
    ("who", "status"), [("member", 403), ("outsider", 403), ("judge", 403), ("anonymous", 401)]
)
def test_only_the_organiser_forwards_to_the_parent(
    client, people, gx, announced_and_over, who, status
):
    response = call(as_who(client, people, who), "post", "/office/gx-2024/forward-to-parent")
    assert response.status_code == status
    assert not gx.parent.nominations.exists()
