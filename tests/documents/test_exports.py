"""Exports run by the real task worker, with progress; downloads only for those allowed."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member
from tuixuan.documents.models import Export, ExportState
from tuixuan.nominations import services
from tuixuan.units.models import Role, RoleKind

# The worker closes and reopens database connections as a real worker does, so these tests run
# with committed data rather than inside one test transaction.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def submitted(gx, unit, member):
    made = []
    for key in ("volunteer", "project"):
        nomination = complete_nomination(member, gx, unit, key)
        services.submit(member, nomination, now=BEFORE_DEADLINE)
        made.append(nomination)
    return made


@pytest.fixture
def office(client, organiser):
    client.force_login(organiser)
    return client


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def start(client, gx, **data):
    url = reverse("documents:exports", args=[gx.key])
    return client.post(url, {"kind": "summary", "statuses": ["submitted"], **data})


def test_a_summary_export_runs_in_the_worker_and_is_downloaded(office, gx, submitted):
    response = start(office, gx)
    export = Export.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "documents:export", args=[export.pk]
    )
    assert export.state == ExportState.QUEUED
    waiting = office.get(response.url, {"format": "json"}).json()
    assert (waiting["state"], waiting["ready"]) == ("queued", False)

    run_worker()

    progress = office.get(response.url, {"format": "json"}).json()
    assert progress == {
        "state": "done",
        "state_label": "已完成",
        "done": 2,
        "total": 2,
        "percent": 100,
        "ready": True,
    }
    download = office.get(reverse("documents:download", args=[export.pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["最美科技志愿者"]["D2"].value == "李秀梅"
    assert book["最佳科技志愿服务项目"]["D2"].value == "柑橘黄龙病防控科技服务"


def test_a_package_export_carries_the_chosen_nominations(office, gx, submitted):
    start(office, gx, kind="package", include_pdf="on")
    run_worker()
    export = Export.objects.get()
    assert export.state == ExportState.DONE, export.error
    data = b"".join(office.get(reverse("documents:download", args=[export.pk])).streaming_content)
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    assert [n["name"] for n in manifest["nominations"]] == ["李秀梅", "柑橘黄龙病防控科技服务"]
    roles = {f["role"] for f in manifest["nominations"][0]["files"]}
    assert roles == {"form_docx", "form_pdf", "photo"}


def test_the_export_page_shows_progress_and_a_download_link_when_done(office, gx, submitted):
    start(office, gx)
    export = Export.objects.get()
    page = office.get(reverse("documents:export", args=[export.pk])).content.decode()
    assert "排队中" in page and "data-progress-url" in page
    run_worker()
    page = office.get(reverse("documents:exports", args=[gx.key])).content.decode()
    assert "已完成" in page and reverse("documents:download", args=[export.pk]) in page


def test_an_export_without_statuses_is_refused_with_a_message(office, gx):
    response = office.post(reverse("documents:exports", args=[gx.key]), {"kind": "summary"})
    assert response.status_code == 400
    assert "请至少选择一种推荐状态。" in response.content.decode()
    assert not Export.objects.exists()


def test_units_and_other_organisers_cannot_export_or_download(
    client, gx, member, office, submitted
):
    start(office, gx)
    run_worker()
    export = Export.objects.get()
    client.force_login(member)
    for url in (
        reverse("documents:exports", args=[gx.key]),
        reverse("documents:export", args=[export.pk]),
        reverse("documents:download", args=[export.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert start(client, gx).status_code == 404
    assert Export.objects.count() == 1


def test_a_unit_downloads_its_own_word_and_pdf_forms(client, member, submitted):
    client.force_login(member)
    nomination = submitted[0]
    word = client.get(reverse("documents:form_docx", args=[nomination.uid]))
    assert word.status_code == 200
    assert word.content[:2] == b"PK"
    assert "attachment" in word["Content-Disposition"]
    pdf = client.get(reverse("documents:form_pdf", args=[nomination.uid]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")


def test_another_unit_cannot_download_the_forms_but_the_organiser_can(
    client, gx, other_unit, organiser, submitted
):
    stranger = make_member(other_unit)
    client.force_login(stranger)
    nomination = submitted[0]
    for name in ("documents:form_docx", "documents:form_pdf"):
        response = client.get(reverse(name, args=[nomination.uid]))
        assert response.status_code == 404
        assert "李秀梅" not in response.content.decode(errors="ignore")
    client.force_login(organiser)
    assert client.get(reverse("documents:form_docx", args=[nomination.uid])).status_code == 200


def test_a_reviewer_cannot_download_forms_with_contact_details(client, gx, submitted):
    from django.contrib.auth import get_user_model

    reviewer = get_user_model().objects.create_user("reviewer")
    Role.objects.create(user=reviewer, kind=RoleKind.REVIEWER, campaign=gx)
    client.force_login(reviewer)
    assert client.get(reverse("documents:form_docx", args=[submitted[0].uid])).status_code == 404


def test_a_package_rendered_by_two_processes_equals_one_rendered_here(gx, unit, member, tmp_path):
    from tuixuan.documents.package import build_package

    for key in ("volunteer", "organisation", "project", "service-point", "volunteer"):
        complete_nomination(member, gx, unit, key)
    nominations = list(
        gx.nominations.select_related("campaign", "category", "unit")
        .prefetch_related("photos", "attachments")
        .order_by("pk")
    )
    here, pooled = tmp_path / "here.zip", tmp_path / "pooled.zip"
    build_package(gx, nominations, here, include_pdf=False, workers=1)
    build_package(gx, nominations, pooled, include_pdf=False, workers=2)

    def files(path):
        manifest = json.loads(zipfile.ZipFile(path).read("manifest.json"))
        return [
            (f["path"], f["role"], f["size"]) for n in manifest["nominations"] for f in n["files"]
        ]

    assert files(pooled) == files(here)
    assert len(files(here)) == 5 * 3  # a Word form and two photos each
    docx = [name for name, role, _size in files(here) if role == "form_docx"]
    for name in docx:
        assert zipfile.ZipFile(pooled).read(name)[:2] == b"PK"


def test_handing_in_renders_the_pdf_form_in_the_worker_and_packages_reuse_it(office, gx, submitted):
    import hashlib

    from pypdf import PdfReader

    from tuixuan.documents.models import RenderedPdf

    assert not RenderedPdf.objects.exists()  # the hand-in itself does not wait for WeasyPrint
    run_worker()
    kept = {rendered.nomination_id: rendered for rendered in RenderedPdf.objects.all()}
    assert set(kept) == {nomination.pk for nomination in submitted}
    for nomination in submitted:
        text = "".join(p.extract_text() for p in PdfReader(kept[nomination.pk].file).pages)
        assert nomination.name in text.replace(" ", "").replace("\n", "")

    start(office, gx, kind="package", include_pdf="on")
    run_worker()
    export = Export.objects.get()
    data = b"".join(office.get(reverse("documents:download", args=[export.pk])).streaming_content)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    for entry in manifest["nominations"]:
        [form] = [f for f in entry["files"] if f["role"] == "form_pdf"]
        rendered = next(r for r in kept.values() if str(r.nomination.uid) == entry["uid"])
        with rendered.file.open("rb") as file:
            assert form["sha256"] == hashlib.sha256(file.read()).hexdigest()


@pytest.mark.parametrize(
    ("posted", "field"),
    [({"kind": "xlsx"}, "“导出类型”："), ({"statuses": ["submitted", "bogus"]}, "“推荐状态”：")],
)
def test_an_export_kind_or_status_the_page_does_not_offer_is_refused(office, gx, posted, field):
    """Defect fixed: an unknown status was dropped silently and the rest exported."""
    response = start(office, gx, **posted)
    assert response.status_code == 400
    assert field in response.content.decode()
    assert not Export.objects.exists()
