"""Smaller copies of photos: the long side at most ``size`` pixels, turned upright, no metadata.

The public pages show such copies (never the original, whose EXIF may hold where it was taken),
and the Word forms embed one (the original travels beside the form, in the package).
"""

import io

from PIL import Image, ImageOps

QUALITY = 85
BACKGROUND = (255, 255, 255)  # where a PNG is transparent: paper white, not JPEG's black


def smaller_copy(source, size: int) -> tuple[bytes, int, int]:
    """Decode ``source``, apply its orientation, shrink, and re-encode as a JPEG without EXIF.

    The colour profile is kept (a phone's wide-gamut photo would otherwise look dull); it says
    nothing about who or where.
    """
    with Image.open(source) as original:
        original.draft("RGB", (size, size))  # a JPEG decodes at the scale needed, not in full
        profile = original.info.get("icc_profile")
        picture = _on_white(ImageOps.exif_transpose(original))
    picture.thumbnail((size, size), Image.Resampling.LANCZOS)
    picture.info = {}  # nothing of the original's metadata: Pillow would write its comment back
    buffer = io.BytesIO()
    options = {"icc_profile": profile} if profile else {}
    picture.save(buffer, "JPEG", quality=QUALITY, optimize=True, progressive=True, **options)
    return buffer.getvalue(), picture.width, picture.height


def _on_white(picture) -> Image.Image:
    if picture.mode == "P":
        picture = picture.convert("RGBA")
    if picture.mode in ("RGBA", "LA"):
        flat = Image.new("RGB", picture.size, BACKGROUND)
        flat.paste(picture, mask=picture.getchannel("A"))
        return flat
    return picture.convert("RGB")
