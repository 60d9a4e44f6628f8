"""How the documents app answers what happens below it."""

import logging

from django.db import transaction
from django.dispatch import receiver

from tuixuan.common.management.commands.worker import worker_tick
from tuixuan.nominations.signals import handed_in, stamped_pdf_stored

from .models import Export
from .tasks import check_the_seal, render_pdf_form

logger = logging.getLogger("tuixuan.worker")


@receiver(handed_in)
def render_the_pdf_form(sender, nomination_id, **kwargs):
    """The worker renders the PDF form ahead of its first download or package."""
    render_pdf_form.enqueue(nomination_id)


@receiver(stamped_pdf_stored)
def search_for_the_seal(sender, attachment_id, **kwargs):
    """The worker searches the scan for the seal (a second or two for a long 300 dpi scan: too
    long for the upload's request)."""
    check_the_seal.enqueue(attachment_id)


@receiver(worker_tick)
def take_over_stale_exports(sender, **kwargs):
    """Any live worker, on any machine, queues again the exports whose worker died."""
    with transaction.atomic():
        taken = Export.objects.take_over_stale()
    if taken:
        logger.warning("%d 个导出的后台进程已停止，已重新排队或标为失败。", taken)
