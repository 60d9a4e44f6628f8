"""Smaller copies of photos: the long side at most ``size`` pixels, turned upright, no metadata.

The public pages show such copies (never the original, whose EXIF may hold where it was taken),
and the Word forms embed one (the original travels beside the form, in the package).
"""

import io

from PIL import Image, ImageOps

QUALITY = 85


def smaller_copy(source, size: int) -> tuple[bytes, int, int]:
    """Decode ``source``, apply its orientation, shrink, and re-encode as a JPEG without EXIF."""
    with Image.open(source) as original:
        original.draft("RGB", (size, size))  # a JPEG decodes at the scale needed, not in full
        picture = ImageOps.exif_transpose(original).convert("RGB")
    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True)
    return buffer.getvalue(), picture.width, picture.height
