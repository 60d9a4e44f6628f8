"""The expert's pages and the organiser's assignment and ranking pages."""

import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import Status
from tuixuan.review import services
from tuixuan.review.models import Assignment
from tuixuan.units.models import Role, RoleKind

SCORES = {"deeds": "36", "example": "25", "service": "18", "materials": "9"}


def expert(campaign, name):
    user = get_user_model().objects.create_user(name)
    Role.objects.create(user=user, kind=RoleKind.REVIEWER, campaign=campaign)
    return user


@pytest.fixture
def accepted(gx, unit, member, organiser):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def judge(gx):
    return expert(gx, "judge")


@pytest.fixture
def assignment(organiser, accepted, judge):
    return services.assign(organiser, accepted, judge)


def test_an_expert_sees_the_story_and_photos_but_no_contact_details(client, judge, assignment):
    client.force_login(judge)
    page = client.get(reverse("review:score", args=[assignment.pk])).content.decode()
    nomination = assignment.nomination
    assert nomination.values["deeds"][:20] in page
    for private in ("phone", "address", "birth", "political_status"):
        value = str(nomination.values[private])
        assert value not in page, private
    assert "1978年6月" not in page and "中共党员" not in page
    photo = nomination.photos.first()
    image = client.get(reverse("nominations:photo", args=[nomination.uid, photo.pk]))
    assert image.status_code == 200
    assert client.get(reverse("nominations:edit", args=[nomination.uid])).status_code == 404
    assert client.get(reverse("documents:form_docx", args=[nomination.uid])).status_code == 404


def test_an_expert_gets_the_photos_without_the_cameras_gps_position(
    client, gx, unit, member, organiser, judge
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.fixtures.images import camera_jpeg

    nomination = complete_nomination(member, gx, unit, "project", photos=1)
    original = camera_jpeg((1600, 1200))  # its EXIF holds a GPS position
    upload = SimpleUploadedFile("现场.jpg", original, "image/jpeg")
    photo = nomination_services.add_photo(member, nomination, upload, now=BEFORE_DEADLINE)
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    services.assign(organiser, nomination, judge)
    url = reverse("nominations:photo", args=[nomination.uid, photo.pk])
    api = f"/api/v1/nominations/{nomination.uid}/photos/{photo.pk}"

    client.force_login(judge)
    for response in (client.get(url), client.get(api)):
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        with Image.open(io.BytesIO(response.content)) as shown:
            assert shown.size == (1280, 960) and not shown.getexif()
    client.force_login(member)  # the unit (and the organiser) still get the original
    assert b"".join(client.get(url).streaming_content) == original
    assert b"".join(client.get(api).streaming_content) == original


def test_an_expert_cannot_open_an_unassigned_nomination(
    client, gx, unit, member, judge, assignment
):
    other = complete_nomination(member, gx, unit, "project")
    client.force_login(judge)
    photo = other.photos.first()
    assert client.get(reverse("nominations:photo", args=[other.uid, photo.pk])).status_code == 404
    someone = expert(gx, "someone")
    theirs = Assignment.objects.create(nomination=assignment.nomination, reviewer=someone)
    assert client.get(reverse("review:score", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("review:score", args=[theirs.pk]), SCORES).status_code == 404


def test_an_expert_scores_and_a_bad_score_keeps_what_was_typed(client, judge, assignment):
    client.force_login(judge)
    url = reverse("review:score", args=[assignment.pk])
    response = client.post(url, {**SCORES, "deeds": "45", "comment": "事迹突出"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "分数应在0到40之间" in page and 'value="25"' in page and "事迹突出" in page
    assert client.post(url, {**SCORES, "comment": "事迹突出"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.scored_at and assignment.comment == "事迹突出"
    assert sorted(str(s.value) for s in assignment.scores.all()) == [
        "18.00",
        "25.00",
        "36.00",
        "9.00",
    ]


def test_an_expert_declares_a_conflict(client, judge, assignment):
    client.force_login(judge)
    url = reverse("review:conflict", args=[assignment.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "系候选人导师"}).status_code == 302
    assignment.refresh_from_db()
    assert assignment.conflict and assignment.conflict_reason == "系候选人导师"
    page = client.get(reverse("review:assignments")).content.decode()
    assert "已声明利益冲突" in page


def test_the_organiser_assigns_automatically_from_the_experts_page(client, gx, organiser, accepted):
    [expert(gx, f"e{n}") for n in range(4)]
    client.force_login(organiser)
    url = reverse("review:experts", args=[gx.key])
    assert client.post(url).status_code == 302
    assert accepted.assignments.count() == 3
    page = client.get(url).content.decode()
    assert accepted.name in page and "未分配" not in page


def test_with_too_few_experts_the_organiser_is_told_and_the_ranking_marks_it(
    client, gx, organiser, accepted
):
    expert(gx, "only")
    client.force_login(organiser)
    told = client.post(reverse("review:experts", args=[gx.key]), follow=True).content.decode()
    assert "已自动分配1个评审任务。" in told
    assert "1个推荐未能分配到每个推荐3位评审专家，至少还需增加2位评审专家（共缺2人次）" in told
    ranking = client.get(reverse("review:ranking", args=[gx.key, "volunteer"])).content.decode()
    row = ranking[ranking.index(f'data-uid="{accepted.uid}"') :]
    assert "专家不足（已分配1/3位）" in row[: row.index("</tr>")]


def test_the_ranking_page_closes_review_and_shortlists(client, gx, organiser, judge, assignment):
    services.submit_scores(judge, assignment, SCORES)
    client.force_login(organiser)
    url = reverse("review:ranking", args=[gx.key, "volunteer"])
    page = client.get(url).content.decode()
    assert '<td data-label="得分" class="total">88.00</td>' in page
    nomination = assignment.nomination
    client.post(url, {"chosen": [str(nomination.uid)], "action": "reviewed"})
    client.post(url, {"chosen": [str(nomination.uid)], "action": "shortlist"})
    nomination.refresh_from_db()
    assert nomination.status == Status.SHORTLISTED
    response = client.post(url, {"action": "shortlist"})
    assert response.status_code == 400 and "请先勾选推荐。" in response.content.decode()


def test_units_and_experts_cannot_open_the_organisers_pages(client, gx, member, judge):
    for user in (member, judge):
        client.force_login(user)
        for url in (
            reverse("review:experts", args=[gx.key]),
            reverse("review:ranking", args=[gx.key, "volunteer"]),
        ):
            assert client.get(url).status_code == 404
        assert client.post(reverse("review:experts", args=[gx.key])).status_code == 404
    assert not Assignment.objects.exists()


def test_the_organiser_assigns_an_expert_by_hand_and_an_insider_is_refused(
    client, gx, unit, organiser, accepted
):
    chosen = expert(gx, "chosen")
    insider = get_user_model().objects.create_user("insider")
    Role.objects.create(user=insider, kind=RoleKind.REVIEWER, campaign=gx, unit=unit)
    client.force_login(organiser)
    url = reverse("review:assign", args=[accepted.uid])
    client.post(url, {"reviewer": chosen.pk})
    assert list(accepted.assignments.values_list("reviewer__username", flat=True)) == ["chosen"]
    response = client.post(url, {"reviewer": insider.pk}, follow=True)
    assert "存在关联或已声明利益冲突" in response.content.decode()
    assert accepted.assignments.count() == 1


def test_the_ranking_page_refuses_what_it_did_not_offer_and_changes_nothing(
    client, gx, organiser, judge, assignment
):
    """Defect fixed: a uid not in the category was dropped silently, an unknown action was
    refused only after the nominations were read."""
    services.submit_scores(judge, assignment, SCORES)
    client.force_login(organiser)
    url = reverse("review:ranking", args=[gx.key, "volunteer"])
    nomination = assignment.nomination
    stranger = {"chosen": [str(uuid.uuid4())], "action": "reviewed"}
    response = client.post(url, stranger)
    assert response.status_code == 400 and "“推荐”：" in response.content.decode()
    response = client.post(url, {"chosen": [str(nomination.uid)], "action": "erase"})
    assert response.status_code == 400 and "“操作”：" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == Status.ACCEPTED


def test_an_expert_not_offered_cannot_be_assigned(client, gx, organiser, accepted):
    client.force_login(organiser)
    url = reverse("review:assign", args=[accepted.uid])
    response = client.post(url, {"reviewer": "999999"}, follow=True)
    assert "“评审专家”：" in response.content.decode()
    response = client.post(url, {}, follow=True)
    assert "请选择评审专家。" in response.content.decode()
    assert not accepted.assignments.exists()


def test_a_conflict_reason_longer_than_is_kept_is_refused_not_cut(client, judge, assignment):
    """Defect fixed: a reason over 300 characters was cut to 300 without a word."""
    client.force_login(judge)
    url = reverse("review:conflict", args=[assignment.pk])
    response = client.post(url, {"reason": "导" * 301})
    assert response.status_code == 400
    assert "“利益冲突说明”：" in response.content.decode()
    assignment.refresh_from_db()
    assert not assignment.conflict
