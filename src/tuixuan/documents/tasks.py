"""Exports run off the request, in the django-tasks-db worker (``manage.py db_worker``)."""

import tempfile

from django.conf import settings
from django.core.files import File
from django.tasks import task
from django.utils import timezone

from .models import Export, ExportKind, ExportState
from .package import build_package, exported
from .xlsx import summary_workbook

PROGRESS_EVERY = 5  # nominations between two progress writes


@task
def run_export(export_id: str):
    export = Export.objects.select_related("campaign").get(pk=export_id)
    nominations = exported(export.campaign, export.statuses)
    export.state, export.total, export.done = ExportState.RUNNING, len(nominations), 0
    export.save(update_fields=["state", "total", "done"])

    def progress(done, *_total):
        if done % PROGRESS_EVERY == 0 or done == export.total:
            Export.objects.filter(pk=export.pk).update(done=done)

    try:
        with tempfile.TemporaryFile() as out:
            if export.kind == ExportKind.SUMMARY:
                summary_workbook(export.campaign, nominations, out, progress=progress)
                name = f"{export.campaign.key}-汇总表.xlsx"
            else:
                build_package(
                    export.campaign,
                    nominations,
                    out,
                    include_pdf=export.include_pdf,
                    progress=progress,
                    workers=settings.TUIXUAN_EXPORT_WORKERS,
                )
                name = f"{export.campaign.key}-推报包.zip"
            out.seek(0)
            export.file.save(name, File(out), save=False)
    except Exception as error:
        export.state, export.error = ExportState.FAILED, f"{type(error).__name__}: {error}"
        export.finished_at = timezone.now()
        export.save(update_fields=["state", "error", "finished_at"])
        raise
    export.state, export.done, export.finished_at = ExportState.DONE, export.total, timezone.now()
    export.save(update_fields=["state", "done", "file", "finished_at"])


@task
def render_pdf_form(nomination_id: int):
    """Render a handed-in nomination's PDF form ahead of its first download or package."""
    from tuixuan.nominations.models import Nomination

    from .pdf import nomination_pdf

    nomination = (
        Nomination.objects.select_related("campaign", "category", "unit", "rendered_pdf")
        .prefetch_related("photos", "category__fields")
        .filter(pk=nomination_id)
        .first()
    )
    if nomination is not None:  # withdrawn and deleted in the meantime: nothing to do
        nomination_pdf(nomination)
