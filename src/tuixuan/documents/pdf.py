"""The form as a PDF (WeasyPrint), for preview and printing: the same rows as the Word form.

HTML from a template, laid out as the Word form from the same
:class:`~tuixuan.campaigns.layout.Layout` (margins, sizes, the label column, keep-together rules).
Each font list names the Latin face, the Chinese face, then WenQuanYi Zen Hei (Debian's
``fonts-wqy-zenhei``) for a server that lacks them: named explicitly, it renders in a second or
two, Noto CJK ten times slower. WeasyPrint embeds the font subset. The photos go in as ``data:``
URIs read from storage, and the URL fetcher refuses every other scheme, so rendering never
touches the network or the disk.

Rendering takes a fifth of a second, so the PDF is kept (:class:`~.models.RenderedPdf`) and
reused for as long as the HTML it came from is the same.
"""

import base64
import hashlib

import weasyprint
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from weasyprint import HTML, URLFetcher

from tuixuan.campaigns.layout import FALLBACK_FONT, LINE, TITLE_LINE, layout_of

from .models import RenderedPdf
from .rows import form_picture, form_rows, signature_lines


def nomination_pdf(nomination) -> bytes:
    """The PDF form: the kept one if the form still reads the same, else rendered and kept."""
    html = form_html(nomination)
    fingerprint = hashlib.sha256(f"{weasyprint.__version__}\n{html}".encode()).hexdigest()
    try:  # read with the nomination when it was fetched with select_related("rendered_pdf")
        kept = nomination.rendered_pdf if nomination.pk else None
    except RenderedPdf.DoesNotExist:
        kept = None
    if kept is not None and kept.fingerprint == fingerprint:
        try:
            with kept.file.open("rb") as stored:
                return stored.read()
        except OSError:
            pass  # the file is gone: render it again
    data = render_pdf(html)
    if nomination.pk:
        _keep(nomination, kept, fingerprint, data)
    return data


def form_html(nomination) -> str:
    unit_line, date_line = signature_lines(nomination)
    layout = layout_of(nomination.campaign, nomination.category)
    return render_to_string(
        "documents/form_pdf.html",
        {
            "layout": layout,
            "fallback_font": FALLBACK_FONT,
            "title_gap": layout.title_pt * 0.6,
            "title_line": layout.title_pt * TITLE_LINE,
            "annex_line": layout.annex_pt * LINE,
            "signature_gap": layout.body_pt * 2,
            "title": nomination.category.form_title,
            "rows": form_rows(nomination),
            "photo_label": nomination.category.photo_label,
            "photos": [_data_uri(photo) for photo in nomination.photos.all()],
            "signature_lines": [unit_line, date_line],
        },
    )


def render_pdf(html) -> bytes:
    return HTML(string=html, url_fetcher=_offline_fetcher()).write_pdf()


def _keep(nomination, kept, fingerprint, data):
    """Store the new rendering in place of the old one (whose file goes once this commits)."""
    old = kept.file.name if kept is not None and kept.file else None  # the name: save() moves on
    try:
        with transaction.atomic():
            kept = kept or RenderedPdf(nomination=nomination)
            kept.fingerprint = fingerprint
            kept.file.save("form.pdf", ContentFile(data), save=False)
            kept.save()
    except IntegrityError:  # another process kept the same form at the same moment
        kept.file.delete(save=False)
        return
    if old is not None:
        storage = kept.file.storage
        transaction.on_commit(lambda: storage.delete(old))


def _offline_fetcher():
    """Only ``data:`` URIs; anything else is refused (WeasyPrint warns and leaves it out)."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def _data_uri(photo) -> str:
    picture = form_picture(photo)
    payload = base64.b64encode(picture.data).decode("ascii")
    # Base64 and a fixed content type hold nothing HTML would escape; escaping a megabyte of it
    # was half the time a kept form took to be recognised as unchanged.
    return mark_safe(f"data:{picture.content_type};base64,{payload}")
