"""The expert over the API: their assignments, scoring, conflicts, and never a personal field.

Every answer an expert can get is searched for the candidate's 联系方式, 通讯地址, 出生年月 and
政治面貌 (the fields the campaign file marks personal): none may appear, in any form.
"""

import json

import pytest

from tests.api.conftest import as_user, call, expert, secret_for
from tests.conftest import valid_values
from tuixuan.review.models import Assignment

pytestmark = pytest.mark.usefixtures("extended")

SCORES = {"deeds": "36", "example": "25", "service": "18", "materials": "9.5"}
PERSONAL = valid_values("volunteer")
PERSONAL_TEXTS = [
    PERSONAL["phone"],
    PERSONAL["address"],
    PERSONAL["political_status"],
    "1978-06",
    "1978年6月",
    "出生年月",
    "联系电话",
]


def assert_nothing_personal(response):
    text = json.dumps(response.json(), ensure_ascii=False)
    for private in PERSONAL_TEXTS:
        assert private not in text, private


def test_expert_lists_their_assignments(client, assignment, judge):
    response = call(client, "get", "/reviews/assignments", token=secret_for(judge))
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    [item] = data["items"]
    assert (item["id"], item["nomination"], item["name"]) == (
        assignment.pk,
        str(assignment.nomination.uid),
        "李秀梅",
    )
    assert (item["category"], item["conflict"], item["scored_at"]) == ("volunteer", False, None)
    assert_nothing_personal(response)


def test_an_expert_without_assignments_and_a_unit_member_see_none(client, assignment, gx, member):
    for user in (expert(gx, "idle"), member):
        client.logout()
        assert call(as_user(client, user), "get", "/reviews/assignments").json()["count"] == 0


def test_expert_reads_the_assignment_without_personal_fields(client, assignment, judge):
    response = call(as_user(client, judge), "get", f"/reviews/assignments/{assignment.pk}")
    assert response.status_code == 200
    data = response.json()
    keys = [row["key"] for row in data["rows"]]
    assert "deeds" in keys and "name" in keys
    assert not {"phone", "address", "birth", "political_status"} & set(keys)
    assert data["rows"][keys.index("deeds")]["text"] == PERSONAL["deeds"]
    assert len(data["photos"]) == 2
    assert [item["key"] for item in data["rubric"]] == list(SCORES)
    assert data["scores"] == {}
    assert_nothing_personal(response)


def test_expert_submits_scores_and_can_replace_them(client, assignment, judge):
    client = as_user(client, judge)
    path = f"/reviews/assignments/{assignment.pk}/scores"
    response = call(client, "post", path, {"scores": SCORES, "comment": "事迹突出"})
    assert response.status_code == 200
    data = response.json()
    assert {k: float(v) for k, v in data["scores"].items()} == {
        k: float(v) for k, v in SCORES.items()
    }
    assert data["comment"] == "事迹突出" and data["scored_at"]
    assert_nothing_personal(response)
    again = call(client, "post", path, {"scores": {**SCORES, "deeds": 30}})
    assert float(again.json()["scores"]["deeds"]) == 30
    assignment.refresh_from_db()
    assert assignment.scores.count() == 4


def test_a_score_out_of_range_is_422_naming_the_item(client, assignment, judge):
    path = f"/reviews/assignments/{assignment.pk}/scores"
    body = {"scores": {**SCORES, "deeds": "41"}}
    response = call(as_user(client, judge), "post", path, body)
    assert response.status_code == 422
    assert response.json()["field"] == "deeds"
    assert "分数应在0到40之间" in response.json()["errors"]["deeds"]
    assert not assignment.scores.exists()


def test_scores_that_are_not_an_object_are_422(client, assignment, judge):
    path = f"/reviews/assignments/{assignment.pk}/scores"
    response = call(as_user(client, judge), "post", path, {"scores": [36, 25]})
    assert response.status_code == 422
    assert response.json()["field"] == "scores"


def test_expert_declares_a_conflict_and_may_no_longer_score(client, assignment, judge):
    client = as_user(client, judge)
    base = f"/reviews/assignments/{assignment.pk}"
    blank = call(client, "post", f"{base}/conflict", {"reason": " "})
    assert blank.status_code == 422 and blank.json()["field"] == "conflict_reason"
    response = call(client, "post", f"{base}/conflict", {"reason": "曾与候选人共事"})
    assert response.status_code == 200
    assert response.json()["conflict"] is True
    assignment.refresh_from_db()
    assert assignment.conflict_reason == "曾与候选人共事"
    scoring = call(client, "post", f"{base}/scores", {"scores": SCORES})
    assert scoring.status_code == 422
    assert scoring.json()["message"] == "已声明利益冲突，不能评分。"


@pytest.mark.parametrize("who", ["other_expert", "member", "outsider", "organiser", "anonymous"])
def test_nobody_else_reads_scores_or_declines_an_assignment(
    client, gx, assignment, member, outsider, organiser, who
):
    users = {
        "other_expert": expert(gx, "other"),
        "member": member,
        "outsider": outsider,
        "organiser": organiser,
    }
    if who != "anonymous":
        as_user(client, users[who])
    status = 401 if who == "anonymous" else 404
    base = f"/reviews/assignments/{assignment.pk}"
    assert call(client, "get", base).status_code == status
    assert call(client, "post", f"{base}/scores", {"scores": SCORES}).status_code == status
    assert call(client, "post", f"{base}/conflict", {"reason": "冒名"}).status_code == status
    assignment.refresh_from_db()
    assert (assignment.scored_at, assignment.conflict) == (None, False)
    assert not assignment.scores.exists()


def test_an_expert_whose_role_was_removed_loses_the_assignment(client, assignment, judge):
    judge.roles.all().delete()
    client = as_user(client, judge)
    assert call(client, "get", "/reviews/assignments").json()["count"] == 0
    assert call(client, "get", f"/reviews/assignments/{assignment.pk}").status_code == 404


def test_expert_cannot_reach_the_nomination_its_forms_or_its_stamped_pdf(client, assignment, judge):
    uid = assignment.nomination.uid
    client = as_user(client, judge)
    for path in (
        f"/nominations/{uid}",
        f"/nominations/{uid}/report",
        f"/nominations/{uid}/form.docx",
        f"/nominations/{uid}/stamped-pdf",
    ):
        response = call(client, "get", path)
        assert response.status_code == 404, path
        assert_nothing_personal(response)
    photos = call(client, "get", f"/nominations/{uid}/photos")
    assert photos.status_code == 200
    assert_nothing_personal(photos)


def test_an_unknown_assignment_is_404(client, judge, gx):
    assert call(as_user(client, judge), "get", "/reviews/assignments/999999").status_code == 404
    assert not Assignment.objects.exists()
