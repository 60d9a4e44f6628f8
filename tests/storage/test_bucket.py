"""With TUIXUAN_STORAGE=s3 every stored file lives in the bucket, and reaches people only through
the app's permission checks.

A real S3-compatible server (moto's, its own process, tests/fixtures/s3.py) answers over HTTP;
each test has a fresh bucket and looks inside it with its own boto3 client.
"""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.conftest import BEFORE_DEADLINE, MB, complete_nomination, make_member, make_unit
from tests.fixtures.images import jpeg_of_size
from tests.fixtures.pdfs import pdf_bytes
from tests.fixtures.s3 import client as s3_client
from tuixuan.documents.models import Export, ExportState, RenderedPdf
from tuixuan.nominations import services


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def in_bucket(endpoint, bucket) -> dict:
    """Every object in the bucket: key → its bytes."""
    s3 = s3_client(endpoint)
    keys = [
        item["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for item in page.get("Contents", ())
    ]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def files_on_disk(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()] if media_root.exists() else []


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def extended(unit):
    """The pages run at today's date, long after the 2025 deadline: grant an extension."""
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    return unit


@pytest.mark.django_db
def test_a_photo_uploaded_through_the_page_lands_in_the_bucket_and_not_on_the_disk(
    client, gx, unit, extended, member, in_s3, s3_endpoint, media_root
):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    sent = jpeg_of_size(int(1.5 * MB), seed=11)
    client.force_login(member)
    response = client.post(
        reverse("nominations:upload_photos", args=[nomination.uid]),
        {"photos": SimpleUploadedFile("现场.jpg", sent, content_type="image/jpeg")},
    )
    assert response.status_code == 302, body(response)[:300]

    photo = nomination.photos.get()
    stored = in_bucket(s3_endpoint, in_s3)
    assert digest(stored[photo.file.name]) == digest(sent)
    assert files_on_disk(media_root) == []


@pytest.mark.django_db
def test_photo_and_stamped_pdf_come_from_the_bucket_to_their_unit_and_to_no_other(
    client, gx, unit, extended, member, in_s3, s3_endpoint
):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=2)
    scan = pdf_bytes(pages=2)
    services.attach_stamped_pdf(
        member, nomination, SimpleUploadedFile("盖章.pdf", scan), now=BEFORE_DEADLINE
    )
    photo = nomination.photos.first()
    stored = in_bucket(s3_endpoint, in_s3)
    photo_url = reverse("nominations:photo", args=[nomination.uid, photo.pk])
    pdf_url = reverse("nominations:pdf", args=[nomination.uid])

    client.force_login(member)
    got_photo, got_pdf = client.get(photo_url), client.get(pdf_url)
    assert got_photo.status_code == 200 and body(got_photo) == stored[photo.file.name]
    assert int(got_photo["Content-Length"]) == len(stored[photo.file.name])
    assert got_pdf.status_code == 200 and digest(body(got_pdf)) == digest(scan)

    stranger = make_member(make_unit(gx, "gx-agri-society", "广西农学会"))
    client.force_login(stranger)
    for url in (photo_url, pdf_url):
        refused = client.get(url)
        assert refused.status_code in (403, 404)
        assert scan not in refused.content and stored[photo.file.name] not in refused.content


@pytest.mark.django_db(transaction=True)
def test_an_export_and_the_rendered_forms_are_written_to_the_bucket_and_downloaded_from_it(
    client, gx, unit, member, organiser, in_s3, s3_endpoint, media_root
):
    for key in ("volunteer", "project"):
        nomination = complete_nomination(member, gx, unit, key)
        services.submit(member, nomination, now=BEFORE_DEADLINE)
    client.force_login(organiser)
    client.post(
        reverse("documents:exports", args=[gx.key]),
        {"kind": "summary", "statuses": ["submitted"]},
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    export = Export.objects.get()
    assert export.state == ExportState.DONE, export.error

    bucket = in_bucket(s3_endpoint, in_s3)
    stored = bucket[export.file.name]
    rendered = RenderedPdf.objects.all()  # the worker renders each form as it is handed in
    assert len(rendered) == 2
    assert all(bucket[pdf.file.name].startswith(b"%PDF") for pdf in rendered)
    download = client.get(reverse("documents:download", args=[export.pk]))
    assert download.status_code == 200 and download.streaming
    assert body(download) == stored
    book = load_workbook(io.BytesIO(stored))
    assert book["最美科技志愿者"]["D2"].value == "李秀梅"
    assert files_on_disk(media_root) == []

    s3_client(s3_endpoint).delete_object(Bucket=in_s3, Key=export.file.name)
    gone = client.get(reverse("documents:download", args=[export.pk]))
    assert gone.status_code == 404
    assert "导出的文件已不在文件存储中，请重新导出。" in gone.content.decode()


@pytest.mark.django_db
def test_a_word_form_held_for_import_is_kept_in_the_bucket_until_released(
    member, in_s3, s3_endpoint, media_root
):
    from django.http import Http404

    from tuixuan.documents.reading_docx import held, hold, release

    data = b"the uploaded .docx, as sent"
    token = hold(member, data)
    assert in_bucket(s3_endpoint, in_s3) == {f"docx-imports/{member.pk}/{token}.docx": data}
    assert held(member, token) == data
    release(member, token)
    assert in_bucket(s3_endpoint, in_s3) == {}
    with pytest.raises(Http404):  # gone: "upload it again", not a server error
        held(member, token)
    assert files_on_disk(media_root) == []
