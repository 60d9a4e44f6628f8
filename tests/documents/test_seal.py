"""The seal search on stamped scans: found where an official red seal is, "uncertain" on a
black-and-white scan of one, and never "found" on red handwriting or a red heading."""

import io
from datetime import timedelta

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member
from tests.fixtures.scans import Page, scan_pdf
from tuixuan.documents.seal import check_seal
from tuixuan.nominations import services
from tuixuan.nominations.models import Attachment, SealState, Status


@pytest.mark.parametrize(
    "page",
    [
        Page(dpi=150, seal="red", quality=85),
        Page(dpi=300, seal="red", rotation=17, fade=0.35, quality=55, seal_mm=40),
        Page(dpi=150, seal="red", rotation=-41, fade=0.55, quality=45, red_handwriting=True),
    ],
    ids=["fresh-150dpi", "rotated-faded-300dpi", "weak-beside-red-signature"],
)
def test_a_stamped_page_is_found_with_a_crop_of_the_seal(page):
    result = check_seal(scan_pdf([page]))
    assert (result.state, result.page) == (SealState.FOUND, 1)
    crop = Image.open(io.BytesIO(result.crop))
    pixels = np.asarray(crop.convert("RGB")).astype(int)
    red = np.count_nonzero((pixels[:, :, 0] - pixels[:, :, 1] > 40) & (pixels[:, :, 0] > 150))
    # The crop shows the seal: a square about the seal's size, with red in it.
    assert 0.8 < crop.width / crop.height < 1.25 and red > 100


def test_the_page_holding_the_seal_is_named():
    pdf = scan_pdf([Page(seed=1), Page(red_heading=True, seed=2), Page(seal="red", seed=3)])
    assert (check_seal(pdf).state, check_seal(pdf).page) == (SealState.FOUND, 3)


@pytest.mark.parametrize(
    "page, expected",
    [
        (Page(red_handwriting=True, seed=4), SealState.NOT_FOUND),
        (Page(red_heading=True, red_handwriting=True, dpi=300, seed=5), SealState.NOT_FOUND),
        (Page(seal="grey", colour=False, rotation=8), SealState.UNCERTAIN),
        (Page(colour=False, seed=6), SealState.NOT_FOUND),
        (Page(form_text=False), SealState.NOT_FOUND),
    ],
    ids=["red-signature", "red-heading", "black-and-white-seal", "black-and-white-form", "blank"],
)
def test_red_text_is_no_seal_and_a_grey_seal_cannot_be_confirmed(page, expected):
    result = check_seal(scan_pdf([page]))
    assert result.state == expected
    assert (result.page is None) == (expected == SealState.NOT_FOUND)


# From the upload to what the unit and the organiser see ---------------------------------------


@pytest.fixture
def immediate_tasks(settings):
    """The worker's task runs where it is enqueued (once the upload's transaction commits)."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _upload(client, nomination, pdf):
    url = reverse("nominations:upload_pdf", args=[nomination.uid])
    response = client.post(url, {"stamped_pdf": SimpleUploadedFile("盖章表.pdf", pdf)})
    assert response.status_code == 302


def test_the_worker_checks_an_upload_and_both_sides_see_the_result(
    client,
    gx,
    unit,
    member,
    other_unit,
    organiser,
    immediate_tasks,
    django_capture_on_commit_callbacks,
):
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    nomination = complete_nomination(member, gx, unit, "volunteer")
    page = reverse("nominations:edit", args=[nomination.uid])
    client.force_login(member)
    with django_capture_on_commit_callbacks() as committed:
        _upload(client, nomination, scan_pdf([Page(), Page(seal="red", rotation=11, seed=2)]))
    assert "正在检查印章" in client.get(page).content.decode()

    for callback in committed:  # the upload commits: the worker searches the scan
        callback()
    html = client.get(page).content.decode()
    assert "已识别到红色印章" in html and "（第2页）" in html
    crop = client.get(reverse("nominations:seal_crop", args=[nomination.uid]))
    assert crop.status_code == 200 and crop["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(crop.streaming_content))).width > 50

    # Another unit cannot see the crop; the organiser sees the verdict in formal review.
    client.force_login(make_member(other_unit, "someone-else"))
    assert client.get(reverse("nominations:seal_crop", args=[nomination.uid])).status_code == 404
    client.force_login(organiser)
    review = client.get(reverse("review:nomination", args=[nomination.uid])).content.decode()
    assert "已识别到红色印章" in review

    # A new scan without a seal replaces the verdict: a warning, and submitting is still allowed.
    client.force_login(member)
    old_crop = Attachment.objects.get(nomination=nomination).seal_crop.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, nomination, scan_pdf([Page(red_heading=True)]))
    attachment = Attachment.objects.get(nomination=nomination)
    assert (attachment.seal_state, attachment.seal_page, attachment.seal_crop.name) == (
        SealState.NOT_FOUND,
        None,
        "",
    )
    assert not default_storage.exists(old_crop)
    html = client.get(page).content.decode()
    assert "未识别到印章" in html and "不影响提交" in html
    services.submit(member, nomination)
    nomination.refresh_from_db()
    assert nomination.status == Status.SUBMITTED


def test_scans_stored_before_the_upgrade_are_checked_by_the_command(
    gx, unit, member, immediate_tasks
):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.attach_stamped_pdf(
        member,
        nomination,
        SimpleUploadedFile("旧.pdf", scan_pdf([Page(seal="red")])),
        now=BEFORE_DEADLINE,
    )  # the callback that would check it never runs: as for a scan stored before the upgrade
    out = io.StringIO()
    call_command("check_seals", stdout=out)
    assert "已排队检查 1 个盖章扫描件" in out.getvalue()
    assert Attachment.objects.get(nomination=nomination).seal_state == SealState.FOUND
