"""Photos and the stamped PDF over the API: multipart uploads checked as on the pages (G6, G3).

Each endpoint is tried by the unit's member, a member of another unit (404, nothing changes), the
organiser (may look, may not change), an assigned expert (the photos only) and an anonymous
caller (401).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import as_user, call, secret_for, upload
from tests.conftest import MB, photo_upload
from tests.fixtures.images import png_bytes
from tests.fixtures.pdfs import pdf_bytes
from tests.fixtures.scans import Page, scan_pdf
from tuixuan.common.models import AuditEvent
from tuixuan.nominations.models import Attachment, Photo

pytestmark = pytest.mark.usefixtures("extended")


def pdf_upload(data=None, name="盖章推荐表.pdf"):
    return SimpleUploadedFile(name, data or pdf_bytes(2), content_type="application/pdf")


def orders(nomination):
    return list(nomination.photos.order_by("order").values_list("pk", flat=True))


# Uploading photos ------------------------------------------------------------------------------


def test_member_uploads_a_photo_with_a_token(client, draft, member):
    response = upload(
        client, f"/nominations/{draft.uid}/photos", photo_upload(seed=7), secret_for(member)
    )
    assert response.status_code == 201
    data = response.json()
    assert (data["content_type"], data["order"], data["size"]) == ("image/jpeg", 2, int(1.5 * MB))
    assert (data["width"], data["height"]) == (64, 48)
    assert draft.photos.count() == 3
    assert AuditEvent.objects.filter(nomination=draft, action="photo.add").count() == 3


def test_a_photo_below_1mb_is_refused_with_g6(client, draft, member):
    small = photo_upload(size=MB // 2, name="小图.jpg")
    response = upload(as_user(client, member), f"/nominations/{draft.uid}/photos", small)
    assert response.status_code == 422
    data = response.json()
    assert (data["rule_id"], data["field"]) == ("G6", "photos")
    assert "小图.jpg" in data["message"] and "不足 1M（1,048,576 字节）" in data["message"]
    assert draft.photos.count() == 2


def test_a_file_that_is_not_an_image_is_refused_with_g6(client, draft, member):
    fake = SimpleUploadedFile("photo.jpg", b"\0" * int(1.5 * MB), content_type="image/jpeg")
    response = upload(as_user(client, member), f"/nominations/{draft.uid}/photos", fake)
    assert response.status_code == 422
    assert response.json()["rule_id"] == "G6"
    assert "JPEG 或 PNG" in response.json()["message"]
    assert draft.photos.count() == 2


def test_a_fourth_photo_is_refused_with_g6(client, draft, member):
    client = as_user(client, member)
    assert (
        upload(client, f"/nominations/{draft.uid}/photos", photo_upload(seed=8)).status_code == 201
    )
    response = upload(client, f"/nominations/{draft.uid}/photos", photo_upload(seed=9))
    assert response.status_code == 422
    assert response.json()["rule_id"] == "G6"
    assert response.json()["message"] == "照片最多3张，已有3张。"
    assert draft.photos.count() == 3


def test_an_upload_without_a_file_is_422_naming_the_field(client, draft, member):
    response = as_user(client, member).post(f"/api/v1/nominations/{draft.uid}/photos", {})
    assert response.status_code == 422
    assert response.json()["field"] == "file"


def test_another_units_member_cannot_upload_and_nothing_is_added(client, draft, outsider):
    response = upload(as_user(client, outsider), f"/nominations/{draft.uid}/photos", photo_upload())
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该推荐。"
    assert draft.photos.count() == 2


def test_organiser_cannot_upload_to_a_units_nomination(client, draft, organiser):
    response = upload(
        as_user(client, organiser), f"/nominations/{draft.uid}/photos", photo_upload()
    )
    assert response.status_code == 403
    assert draft.photos.count() == 2


def test_anonymous_caller_cannot_upload(client, draft):
    response = upload(client, f"/nominations/{draft.uid}/photos", photo_upload())
    assert response.status_code == 401
    assert draft.photos.count() == 2


def test_uploading_to_a_submitted_nomination_is_refused_by_state(client, submitted, member):
    response = upload(
        as_user(client, member), f"/nominations/{submitted.uid}/photos", photo_upload()
    )
    assert response.status_code == 422
    assert response.json()["message"] == "当前状态为“已提交”，不能修改附件。"


def test_uploading_after_the_deadline_without_extension_is_refused_with_g2(
    client, draft, member, unit
):
    unit.participations.update(extension_until=None)
    response = upload(as_user(client, member), f"/nominations/{draft.uid}/photos", photo_upload())
    assert response.status_code == 422
    assert response.json()["rule_id"] == "G2"
    assert draft.photos.count() == 2


# Listing and fetching --------------------------------------------------------------------------


def test_member_lists_the_photos_in_order(client, draft, member):
    response = call(as_user(client, member), "get", f"/nominations/{draft.uid}/photos")
    assert response.status_code == 200
    assert [p["id"] for p in response.json()] == orders(draft)
    assert [p["order"] for p in response.json()] == [0, 1]


def test_member_downloads_the_original_photo(client, draft, member):
    photo = draft.photos.first()
    response = as_user(client, member).get(f"/api/v1/nominations/{draft.uid}/photos/{photo.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    with photo.file.open("rb") as stored:
        assert b"".join(response.streaming_content) == stored.read()


def test_organiser_and_assigned_expert_see_the_photos(client, assignment, organiser, judge):
    nomination = assignment.nomination
    for user in (organiser, judge):
        response = call(as_user(client, user), "get", f"/nominations/{nomination.uid}/photos")
        assert response.status_code == 200
        assert len(response.json()) == 2


@pytest.mark.parametrize("who", ["outsider", "judge", "anonymous"])
def test_others_cannot_list_or_fetch_photos(client, draft, outsider, judge, who):
    """The expert is not assigned to this draft: 404 like another unit."""
    photo = draft.photos.first()
    if who != "anonymous":
        as_user(client, {"outsider": outsider, "judge": judge}[who])
    expected = 401 if who == "anonymous" else 404
    listed = call(client, "get", f"/nominations/{draft.uid}/photos")
    fetched = client.get(f"/api/v1/nominations/{draft.uid}/photos/{photo.pk}")
    assert (listed.status_code, fetched.status_code) == (expected, expected)


def test_a_photo_of_another_nomination_is_404(client, gx, unit, member, draft):
    from tests.conftest import complete_nomination

    other = complete_nomination(member, gx, unit, "project", photos=1)
    photo = other.photos.get()
    response = call(
        as_user(client, member), "delete", f"/nominations/{draft.uid}/photos/{photo.pk}"
    )
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该照片。"
    assert Photo.objects.filter(pk=photo.pk).exists()


# Deleting and moving ---------------------------------------------------------------------------


def test_member_deletes_a_photo_and_the_rest_close_up(client, draft, member):
    first, second = orders(draft)
    response = call(as_user(client, member), "delete", f"/nominations/{draft.uid}/photos/{first}")
    assert response.status_code == 200
    assert [(p["id"], p["order"]) for p in response.json()] == [(second, 0)]
    assert not Photo.objects.filter(pk=first).exists()


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("organiser", 403), ("judge", 404)])
def test_others_cannot_delete_a_photo_and_nothing_changes(
    client, draft, outsider, organiser, judge, who, status
):
    user = {"outsider": outsider, "organiser": organiser, "judge": judge}[who]
    first = orders(draft)[0]
    response = call(as_user(client, user), "delete", f"/nominations/{draft.uid}/photos/{first}")
    assert response.status_code == status
    assert draft.photos.count() == 2


def test_member_moves_a_photo_down_and_up(client, draft, member):
    first, second = orders(draft)
    client = as_user(client, member)
    path = f"/nominations/{draft.uid}/photos/{first}/move"
    response = call(client, "post", path, {"direction": "down"})
    assert response.status_code == 200
    assert [p["id"] for p in response.json()] == [second, first]
    assert orders(draft) == [second, first]
    assert call(client, "post", path, {"direction": "down"}).status_code == 200  # already last
    assert orders(draft) == [second, first]
    call(client, "post", path, {"direction": "up"})
    assert orders(draft) == [first, second]


def test_an_unknown_direction_is_422_naming_it(client, draft, member):
    first = orders(draft)[0]
    path = f"/nominations/{draft.uid}/photos/{first}/move"
    response = call(as_user(client, member), "post", path, {"direction": "left"})
    assert response.status_code == 422
    assert response.json()["field"] == "direction"


@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("organiser", 403)])
def test_others_cannot_move_a_photo(client, draft, outsider, organiser, who, status):
    user = {"outsider": outsider, "organiser": organiser}[who]
    before = orders(draft)
    path = f"/nominations/{draft.uid}/photos/{before[0]}/move"
    assert call(as_user(client, user), "post", path, {"direction": "down"}).status_code == status
    assert orders(draft) == before


# The stamped PDF -------------------------------------------------------------------------------


def test_member_uploads_the_stamped_pdf_and_reads_it_back(client, draft, member):
    client = as_user(client, member)
    response = upload(client, f"/nominations/{draft.uid}/stamped-pdf", pdf_upload())
    assert response.status_code == 201
    assert response.json()["original_name"] == "盖章推荐表.pdf"
    assert response.json()["kind"] == "stamped_pdf"
    meta = call(client, "get", f"/nominations/{draft.uid}/stamped-pdf")
    assert meta.status_code == 200 and meta.json()["sha256"] == response.json()["sha256"]
    file = client.get(f"/api/v1/nominations/{draft.uid}/stamped-pdf/file")
    assert file.status_code == 200 and file["Content-Type"] == "application/pdf"
    assert b"".join(file.streaming_content).startswith(b"%PDF-")


def test_the_stamped_pdf_carries_its_seal_check(
    client, draft, member, settings, django_capture_on_commit_callbacks
):
    """Pending while the worker searches the scan, then the verdict and the page."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    client = as_user(client, member)
    scan = scan_pdf([Page(seed=1), Page(seal="red", rotation=5, seed=2)])
    with django_capture_on_commit_callbacks() as committed:
        response = upload(client, f"/nominations/{draft.uid}/stamped-pdf", pdf_upload(scan))
    assert response.json()["seal"] == {"state": "pending", "page": None}
    for callback in committed:
        callback()
    meta = call(client, "get", f"/nominations/{draft.uid}/stamped-pdf")
    assert meta.json()["seal"] == {"state": "found", "page": 2}


def test_a_second_stamped_pdf_replaces_the_first(client, draft, member):
    client = as_user(client, member)
    upload(client, f"/nominations/{draft.uid}/stamped-pdf", pdf_upload())
    upload(client, f"/nominations/{draft.uid}/stamped-pdf", pdf_upload(pdf_bytes(3), "新.pdf"))
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["新.pdf"]


@pytest.mark.parametrize(
    ("data", "message"),
    [(png_bytes(), "文件不是 PDF 格式。"), (pdf_bytes(password="x"), "PDF 文件已加密")],
)
def test_a_file_that_is_not_a_readable_pdf_is_refused_with_g3(client, draft, member, data, message):
    response = upload(
        as_user(client, member), f"/nominations/{draft.uid}/stamped-pdf", pdf_upload(data)
    )
    assert response.status_code == 422
    assert (response.json()["rule_id"], response.json()["field"]) == ("G3", "stamped_pdf")
    assert message in response.json()["message"]
    assert not Attachment.objects.exists()


def test_no_stamped_pdf_yet_is_404(client, draft, member):
    response = call(as_user(client, member), "get", f"/nominations/{draft.uid}/stamped-pdf")
    assert response.status_code == 404
    assert response.json()["message"] == "尚未上传盖章扫描PDF。"


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 404), ("organiser", 403), ("judge", 404), ("anonymous", 401)]
)
def test_others_cannot_upload_a_stamped_pdf(client, draft, outsider, organiser, judge, who, status):
    if who != "anonymous":
        as_user(client, {"outsider": outsider, "organiser": organiser, "judge": judge}[who])
    response = upload(client, f"/nominations/{draft.uid}/stamped-pdf", pdf_upload())
    assert response.status_code == status
    assert not Attachment.objects.exists()


def test_only_the_unit_and_the_organiser_read_the_stamped_pdf(
    client, draft, member, organiser, outsider, judge
):
    from tests.conftest import BEFORE_DEADLINE
    from tuixuan.nominations import services
    from tuixuan.review import services as review_services

    services.attach_stamped_pdf(member, draft, pdf_upload(), now=BEFORE_DEADLINE)
    services.submit(member, draft, now=BEFORE_DEADLINE)
    services.accept(organiser, draft)
    draft.refresh_from_db()
    review_services.assign(organiser, draft, judge)
    path = f"/nominations/{draft.uid}/stamped-pdf"
    for user, status in ((member, 200), (organiser, 200), (outsider, 404), (judge, 404)):
        client.logout()
        assert call(as_user(client, user), "get", path).status_code == status, user
        assert client.get(f"/api/v1{path}/file").status_code == status, user
