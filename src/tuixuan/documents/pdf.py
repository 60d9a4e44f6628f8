"""The form as a PDF (WeasyPrint), for preview and printing: the same rows as the Word form.

HTML from a template, laid out for A4 like the Word form, set in WenQuanYi Zen Hei (Debian's
``fonts-wqy-zenhei``), named explicitly: it renders in a second or two, Noto CJK ten times slower.
WeasyPrint embeds the font subset. The photos go in as ``data:`` URIs read from storage, and the
URL fetcher refuses every other scheme, so rendering never touches the network or the disk.
"""

import base64

from django.template.loader import render_to_string
from weasyprint import HTML, URLFetcher

from .rows import form_picture, form_rows, signature_lines

FONT_FAMILY = "WenQuanYi Zen Hei"


def nomination_pdf(nomination) -> bytes:
    unit_line, date_line = signature_lines(nomination)
    html = render_to_string(
        "documents/form_pdf.html",
        {
            "font_family": FONT_FAMILY,
            "title": nomination.category.form_title,
            "rows": form_rows(nomination),
            "photo_label": nomination.category.photo_label,
            "photos": [_data_uri(photo) for photo in nomination.photos.all()],
            "signature_lines": [unit_line, date_line],
        },
    )
    return HTML(string=html, url_fetcher=_offline_fetcher()).write_pdf()


def _offline_fetcher():
    """Only ``data:`` URIs; anything else is refused (WeasyPrint warns and leaves it out)."""
    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def _data_uri(photo) -> str:
    picture = form_picture(photo)
    payload = base64.b64encode(picture.data).decode("ascii")
    return f"data:{picture.content_type};base64,{payload}"
