"""What an uploaded file really is: a photo must decode as JPEG or PNG, a stamped form must open
as a PDF. The checks read the upload in chunks from wherever Django keeps it (memory or a temporary
file), never the whole file into one string. A file that is not what it claims to be is
``Refused`` with the rule it breaks; the service names the field."""

import hashlib
import warnings
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import PyPdfError

from tuixuan.common.exceptions import Refused
from tuixuan.common.images import smaller_copy

FORM_COPY_SIDE = 1280  # px on the long side: ~460 dpi at the form's 7 cm, a fraction of the MB
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int
    size: int
    sha256: str


def sha256_of(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in (
        upload.chunks() if hasattr(upload, "chunks") else iter(lambda: upload.read(65536), b"")
    ):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _megapixels(pixels: int) -> str:
    return _("%(count).0f万像素") % {"count": pixels / 10_000}


def inspect_image(upload, rule_id, *, max_pixels) -> ImageInfo:
    """Decode the whole image once: a truncated or corrupt file is refused, as is an image bomb.

    ``max_pixels`` bounds what decoding may cost before anything is decoded (the size is in the
    header): a 1.2 MB PNG can claim 7745×7745 RGBA pixels, 240 MB once decoded. The bound is the
    category's (``Category.photo_max_pixels``), derived from its largest allowed photo: there is
    no other."""
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                kind = image.format
                width, height = image.size
                if kind not in IMAGE_TYPES:
                    raise Refused(_("照片只能是 JPEG 或 PNG 格式。"), rule_id=rule_id)
                if width * height > max_pixels:
                    raise Refused(
                        _(
                            "照片为%(width)s×%(height)s像素（约%(pixels)s），"
                            "超过允许的%(most)s，请缩小尺寸后再上传。"
                        )
                        % {
                            "width": width,
                            "height": height,
                            "pixels": _megapixels(width * height),
                            "most": _megapixels(max_pixels),
                        },
                        rule_id=rule_id,
                    )
                image.load()
    except Refused:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Refused(_("文件不是可识别的 JPEG 或 PNG 图片。"), rule_id=rule_id) from None
    except (OSError, SyntaxError, ValueError):
        raise Refused(_("图片文件已损坏或不完整，无法打开。"), rule_id=rule_id) from None
    return ImageInfo(IMAGE_TYPES[kind], width, height, upload.size, sha256_of(upload))


def inspect_pdf(upload, rule_id) -> str:
    """Open the PDF with pypdf and read its pages; returns its SHA-256."""

    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise Refused(_("文件不是 PDF 格式。"), rule_id=rule_id)
    upload.seek(0)
    try:
        reader = PdfReader(upload)
        if reader.is_encrypted:
            raise Refused(_("PDF 文件已加密，请上传未加密的扫描件。"), rule_id=rule_id)
        if len(reader.pages) == 0:
            raise Refused(_("PDF 文件没有页面。"), rule_id=rule_id)
    except Refused:
        raise
    except (PyPdfError, OSError, ValueError, KeyError, TypeError):
        raise Refused(_("PDF 文件已损坏，无法打开。"), rule_id=rule_id) from None
    return sha256_of(upload)


def attach_form_copy(photo, source) -> None:
    """Give a photo the smaller copy its Word form embeds (the original stays as uploaded).

    A photo Pillow decodes but cannot re-encode (an unusual PNG mode) keeps no copy: the form
    then embeds the original, as it always may.
    """
    source.seek(0)
    try:
        data, _width, _height = smaller_copy(source, FORM_COPY_SIDE)
    except (OSError, ValueError):
        return
    finally:
        source.seek(0)
    photo.form_copy.save("form.jpg", ContentFile(data), save=False)


def form_copy_bytes(photo) -> bytes | None:
    """The photo's smaller copy: the one made on upload, or one made now if that is missing
    (a photo stored before copies existed, or a file lost); None if Pillow cannot make it."""
    if photo.form_copy:
        try:
            with photo.form_copy.open("rb") as copy:
                return copy.read()
        except OSError:
            pass
    try:
        with photo.file.open("rb") as source:
            return smaller_copy(source, FORM_COPY_SIDE)[0]
    except (OSError, ValueError):
        return None
