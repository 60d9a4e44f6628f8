"""Public copies of photos: the long side at most ``size`` pixels, turned upright, no metadata."""

import io

from PIL import Image, ImageOps

SIZES = (1280, 400)
QUALITY = 85


def derivative(source, size: int) -> tuple[bytes, int, int]:
    """Decode ``source``, apply its orientation, shrink, and re-encode as a JPEG without EXIF."""
    with Image.open(source) as original:
        picture = ImageOps.exif_transpose(original).convert("RGB")
    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return buffer.getvalue(), picture.width, picture.height
