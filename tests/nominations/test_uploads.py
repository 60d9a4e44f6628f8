"""Photos (G6) and the stamped PDF (G3): only real files of the right size are kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import BEFORE_DEADLINE, MB, complete_nomination, photo_upload
from tests.fixtures.images import jpeg_of_size, png_bytes
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import services
from tuixuan.nominations.models import Attachment, Photo


@pytest.fixture
def draft(gx, unit, member):
    return complete_nomination(member, gx, unit, "volunteer", photos=0)


def add(member, draft, upload):
    return services.add_photo(member, draft, upload, now=BEFORE_DEADLINE)


def test_a_real_jpeg_is_stored_with_its_size_dimensions_and_hash(member, draft):
    photo = add(member, draft, photo_upload(size=int(1.2 * MB), name="../../工作照.JPG"))
    assert (photo.content_type, photo.width, photo.height) == ("image/jpeg", 64, 48)
    assert photo.size == int(1.2 * MB)
    assert photo.original_name == "工作照.JPG"  # Django drops the path part
    assert ".." not in photo.file.name and photo.file.name.endswith(".jpg")
    assert photo.file.size == int(1.2 * MB)


def test_a_900_kb_photo_is_refused_with_g6_and_nothing_is_kept(member, draft):
    with pytest.raises(Refused) as refused:
        add(member, draft, photo_upload(size=900 * 1024))
    assert refused.value.rule_id == "G6"
    assert refused.value.message == "照片“photo.jpg”为0.88MB，不足 1M（1,048,576 字节）。"
    assert not Photo.objects.exists()


def test_a_photo_over_3_mb_is_refused(member, draft):
    with pytest.raises(Refused) as refused:
        add(member, draft, photo_upload(size=3 * MB + 1))
    assert (refused.value.rule_id, refused.value.field) == ("G6", "photos")


def test_a_fourth_volunteer_photo_is_refused(member, draft):
    for seed in range(3):
        add(member, draft, photo_upload(seed=seed))
    with pytest.raises(Refused) as refused:
        add(member, draft, photo_upload(seed=4))
    assert refused.value.message == "照片最多3张，已有3张。"
    assert draft.photos.count() == 3


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>" + b"x" * (MB + 10), "文件不是可识别的 JPEG 或 PNG 图片。"),
        (jpeg_of_size(int(1.5 * MB))[: int(1.4 * MB)], "图片文件已损坏或不完整，无法打开。"),
    ],
    ids=["html-named-jpg", "truncated-jpeg"],
)
def test_a_file_that_is_not_a_whole_jpeg_or_png_is_refused(member, draft, content, message):
    with pytest.raises(Refused) as refused:
        add(member, draft, SimpleUploadedFile("photo.jpg", content, "image/jpeg"))
    assert (refused.value.rule_id, refused.value.message) == ("G6", message)
    assert not Photo.objects.exists()


def test_a_png_is_accepted(gx, member, draft):
    category = draft.category
    category.photo_min_bytes = 10
    category.save()
    photo = add(member, draft, SimpleUploadedFile("a.png", png_bytes(), "image/png"))
    assert photo.content_type == "image/png"


def test_removing_a_photo_renumbers_the_rest(member, draft, django_capture_on_commit_callbacks):
    photos = [add(member, draft, photo_upload(seed=seed)) for seed in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(member, photos[0], now=BEFORE_DEADLINE)
    assert [(p.pk, p.order) for p in draft.photos.all()] == [(photos[1].pk, 0), (photos[2].pk, 1)]
    assert not photos[0].file.storage.exists(photos[0].file.name)


def test_a_real_pdf_is_kept_as_the_stamped_form_and_replaces_an_earlier_one(member, draft):
    first = services.attach_stamped_pdf(
        member, draft, SimpleUploadedFile("盖章.pdf", pdf_bytes()), now=BEFORE_DEADLINE
    )
    second = services.attach_stamped_pdf(
        member, draft, SimpleUploadedFile("盖章2.pdf", pdf_bytes(pages=2)), now=BEFORE_DEADLINE
    )
    assert list(Attachment.objects.values_list("pk", flat=True)) == [second.pk]
    assert first.sha256 != second.sha256


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html><body>not a pdf</body></html>", "文件不是 PDF 格式。"),
        (pdf_bytes(password="secret"), "PDF 文件已加密，请上传未加密的扫描件。"),
        (b"%PDF-1.7\n garbage without objects", "PDF 文件已损坏，无法打开。"),
        (b"", "文件不是 PDF 格式。"),
    ],
    ids=["html", "encrypted", "garbage", "empty"],
)
def test_a_stamped_form_that_is_not_a_readable_pdf_is_refused_with_g3(
    member, draft, content, message
):
    with pytest.raises(Refused) as refused:
        services.attach_stamped_pdf(
            member, draft, SimpleUploadedFile("盖章.pdf", content), now=BEFORE_DEADLINE
        )
    assert (refused.value.rule_id, refused.value.message) == ("G3", message)
    assert not Attachment.objects.exists()


def test_a_stamped_form_over_the_campaign_limit_is_refused(gx, member, draft):
    gx.stamped_pdf_max_bytes = 100
    gx.save()
    with pytest.raises(Refused) as refused:
        services.attach_stamped_pdf(
            member, draft, SimpleUploadedFile("盖章.pdf", pdf_bytes()), now=BEFORE_DEADLINE
        )
    assert refused.value.rule_id == "G3"


def _small_photos_allowed(draft):
    category = draft.category
    category.photo_min_bytes = 1
    category.save()


def _png_with_bad_crc() -> bytes:
    data = bytearray(png_bytes((64, 64)))
    data[29] ^= 0xFF  # inside the IHDR chunk's CRC
    return bytes(data)


def _image_bomb() -> bytes:
    """A tiny PNG that claims 40,000 × 40,000 pixels (1.6 gigapixels)."""
    import struct
    import zlib

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
    row = b"\0" + b"\0" * 3 * 40000
    body = zlib.compress(row * 16)  # far fewer rows than claimed: enough to tempt a decoder
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_png_with_bad_crc(), "文件不是可识别的 JPEG 或 PNG 图片。"),
        (_image_bomb(), "文件不是可识别的 JPEG 或 PNG 图片。"),
        (b"GIF89a" + b"\0" * 100, "文件不是可识别的 JPEG 或 PNG 图片。"),
    ],
    ids=["png-wrong-crc", "image-bomb", "gif"],
)
def test_broken_or_dangerous_images_are_refused_and_nothing_is_kept(
    member, draft, content, message
):
    _small_photos_allowed(draft)
    values = dict(draft.values)
    with pytest.raises(Refused) as refused:
        add(member, draft, SimpleUploadedFile("x.png", content, "image/png"))
    assert (refused.value.rule_id, refused.value.message) == ("G6", message)
    draft.refresh_from_db()
    assert draft.values == values and not Photo.objects.exists()


def test_an_empty_photo_file_is_refused(member, draft):
    with pytest.raises(Refused) as refused:
        add(member, draft, SimpleUploadedFile("empty.jpg", b"", "image/jpeg"))
    assert refused.value.rule_id == "G6"
    assert not Photo.objects.exists()
