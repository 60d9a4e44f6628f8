"""The smaller copies the forms and the public pages show."""

import io

from PIL import Image, ImageCms

from tuixuan.common.images import smaller_copy


def copy_of(data, size=1280):
    copy, width, height = smaller_copy(io.BytesIO(data), size)
    image = Image.open(io.BytesIO(copy))
    assert image.size == (width, height)
    return image


def test_a_transparent_png_is_copied_on_white_not_black():
    buffer = io.BytesIO()
    picture = Image.new("RGBA", (100, 80), (255, 0, 0, 0))  # transparent
    picture.paste((0, 0, 255, 255), (0, 0, 50, 80))  # half of it opaque blue
    picture.save(buffer, "PNG")
    copy = copy_of(buffer.getvalue())
    assert copy.getpixel((75, 40)) == (255, 255, 255)
    blue = copy.getpixel((10, 40))
    assert blue[2] > 240 and blue[0] < 15


def test_the_copy_keeps_the_colour_profile_and_nothing_else():
    original = Image.linear_gradient("L").resize((2000, 1500)).convert("RGB")
    buffer = io.BytesIO()
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    original.save(buffer, "JPEG", icc_profile=profile, comment=b"taken at home")
    copy = copy_of(buffer.getvalue())
    assert copy.size == (1280, 960)
    assert copy.info.get("icc_profile") == profile
    assert "comment" not in copy.info and not copy.getexif()
