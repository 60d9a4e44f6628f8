"""How the documents app answers what happens below it."""

from django.dispatch import receiver

from tuixuan.nominations.signals import handed_in, stamped_pdf_stored

from .tasks import check_the_seal, render_pdf_form


@receiver(handed_in)
def render_the_pdf_form(sender, nomination_id, **kwargs):
    """The worker renders the PDF form ahead of its first download or package."""
    render_pdf_form.enqueue(nomination_id)


@receiver(stamped_pdf_stored)
def search_for_the_seal(sender, attachment_id, **kwargs):
    """The worker searches the scan for the seal (a second or two for a long 300 dpi scan: too
    long for the upload's request)."""
    check_the_seal.enqueue(attachment_id)
