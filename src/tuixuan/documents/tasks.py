"""Exports run off the request, in the task worker (``manage.py worker``)."""

import tempfile
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.tasks import task
from django.utils import timezone, translation

from tuixuan.nominations.models import Attachment, Nomination

from .models import Export, ExportKind, ExportState
from .package import build_package, exported
from .xlsx import summary_workbook

PROGRESS_EVERY = 5  # nominations between two progress writes
BEAT_EVERY = timedelta(seconds=10)  # and at least this often, well within the lease


@task
def run_export(export_id: str):
    """Build the export, in Chinese whatever language the organiser who asked for it reads
    (the summary table's status column is the official form's)."""
    with translation.override(settings.LANGUAGE_CODE):
        _run_export(export_id)


def _run_export(export_id: str):
    export = Export.objects.select_related("campaign").get(pk=export_id)
    queued = Export.objects.filter(pk=export.pk, state=ExportState.QUEUED, attempt=export.attempt)
    nominations = exported(export.campaign, export.statuses)
    export.total, export.heartbeat_at = len(nominations), timezone.now()
    if not queued.update(
        state=ExportState.RUNNING, total=export.total, done=0, heartbeat_at=export.heartbeat_at
    ):
        return  # given up, finished or already taken by another worker while it waited
    # This run's rows: none once a lease expired and another worker took the export over.
    running = Export.objects.filter(pk=export.pk, state=ExportState.RUNNING, attempt=export.attempt)
    beat = {"at": export.heartbeat_at}

    def progress(done, *_total):
        """Progress is also the heartbeat: an export silent for a lease is taken for dead."""
        now = timezone.now()
        if done % PROGRESS_EVERY == 0 or done == export.total or now - beat["at"] > BEAT_EVERY:
            running.update(done=done, heartbeat_at=now)
            beat["at"] = now

    try:
        with tempfile.TemporaryFile() as out:
            if export.kind == ExportKind.SUMMARY:
                summary_workbook(
                    export.campaign,
                    nominations,
                    out,
                    progress=progress,
                    statuses=export.statuses,
                )
                name = f"{export.campaign.key}-汇总表.xlsx"
            else:
                build_package(
                    export.campaign,
                    nominations,
                    out,
                    include_pdf=export.include_pdf,
                    progress=progress,
                    workers=settings.TUIXUAN_EXPORT_WORKERS,
                    statuses=export.statuses,
                )
                name = f"{export.campaign.key}-推报包.zip"
            out.seek(0)
            export.file.save(name, File(out), save=False)
    except Exception as error:
        running.update(
            state=ExportState.FAILED,
            error=f"{type(error).__name__}: {error}",
            finished_at=timezone.now(),
        )
        raise
    finished = running.update(
        state=ExportState.DONE, done=export.total, file=export.file.name, finished_at=timezone.now()
    )
    if not finished:  # given up while it ran (a lease expired): its file is nobody's
        export.file.delete(save=False)


@task
def render_pdf_form(nomination_id: int):
    """Render a handed-in nomination's PDF form ahead of its first download or package."""
    from .pdf import nomination_pdf  # noqa: PLC0415 — WeasyPrint takes a second to import; only PDF work pays it

    nomination = (
        Nomination.objects.select_related("campaign", "category", "unit", "rendered_pdf")
        .prefetch_related("photos", "category__fields")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is not None:  # withdrawn and deleted in the meantime: nothing to do
        nomination_pdf(nomination)


@task
def check_the_seal(attachment_id: int):
    """Search a stamped scan for the seal and keep the verdict, the page and a crop of the mark."""
    from .seal import check_seal  # noqa: PLC0415 — OpenCV and NumPy take a second to import; only this task pays it

    attachment = Attachment.objects.select_related("nomination").filter(pk=attachment_id).first()
    if attachment is None:  # replaced or withdrawn in the meantime: nothing to do
        return
    with attachment.file.open("rb") as scan:
        result = check_seal(scan.read())
    attachment.seal_state, attachment.seal_page = result.state, result.page
    if result.crop:
        attachment.seal_crop.save("seal.png", ContentFile(result.crop), save=False)
    attachment.save(update_fields=["seal_state", "seal_page", "seal_crop"])
