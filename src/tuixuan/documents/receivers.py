"""How the documents app answers what happens below it."""

from django.dispatch import receiver

from tuixuan.nominations.signals import handed_in

from .tasks import render_pdf_form


@receiver(handed_in)
def render_the_pdf_form(sender, nomination_id, **kwargs):
    """The worker renders the PDF form ahead of its first download or package."""
    render_pdf_form.enqueue(nomination_id)
