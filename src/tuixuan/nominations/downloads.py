"""Stored photos and stamped PDFs as HTTP responses, the same for the pages and the API."""

from pathlib import PurePosixPath
from urllib.parse import quote

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _

from tuixuan.common.storage import stored_file_response

from .files import form_copy_bytes

EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf"}


def download_name(original: str, content_type: str, fallback: str) -> str:
    """The name a download is saved under: what the unit called it, with the extension of what
    the file really is (a stamped form uploaded as "盖章表.jpg.pdf" or "扫描件" is still a PDF;
    a photo's name says JPEG or PNG as decoded, never what its name claimed)."""
    stem = PurePosixPath(original.replace("\\", "/")).name if original else ""
    extension = EXTENSIONS[content_type]
    while PurePosixPath(stem).suffix.lower() in {*EXTENSIONS.values(), ".jpeg"}:
        stem = PurePosixPath(stem).stem
    return f"{stem or fallback}{extension}"


def stamped_pdf_response(attachment):
    name = download_name(attachment.original_name, "application/pdf", "盖章扫描件")
    try:
        return stored_file_response(
            attachment.file, content_type="application/pdf", as_attachment=True, filename=name
        )
    except OSError:
        raise Http404(_("盖章扫描PDF文件缺失，请联系组织方。")) from None


def seal_crop_response(attachment):
    if not attachment.seal_crop:
        raise Http404(_("尚无印章截图。"))
    try:
        return stored_file_response(attachment.seal_crop, content_type="image/png")
    except OSError:
        raise Http404(_("尚无印章截图。")) from None


def photo_response(photo, *, original: bool):
    """The original as uploaded, or (``original=False``) the smaller copy without EXIF."""
    if original:
        try:
            response = stored_file_response(photo.file, content_type=photo.content_type)
        except OSError:
            raise Http404(_("照片文件缺失，请联系组织方。")) from None
    else:
        data = form_copy_bytes(photo)
        if data is None:
            raise Http404(_("照片文件缺失或无法显示，请联系组织方。"))
        response = HttpResponse(data, content_type="image/jpeg")
    name = download_name(photo.original_name, response["Content-Type"], "照片")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "private, max-age=3600"
    return response
