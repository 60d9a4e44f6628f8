"""The PDF form: opened with pypdf, its page size, text, order, photos and embedded font checked
against the campaign file, for all four categories."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.conftest import complete_nomination
from tuixuan.documents.pdf import _offline_fetcher, nomination_pdf
from tuixuan.documents.rows import form_rows

CATEGORIES = ["volunteer", "organisation", "project", "service-point"]
A4 = (595, 842)  # points
STORY_FIRST_SENTENCE = "长期深入乡村开展农业技术培训和科普讲座，带动群众科学种养，增收致富。"
EXPECTED_VALUES = {
    "volunteer": ["李秀梅", "13807710001", "1978年6月", "已注册（DMZY-2021-0088）"],
    "organisation": ["广西农学会科技志愿服务总队", "0771-2863980", "75%", "2018年3月15日"],
    "project": ["柑橘黄龙病防控科技服务", "13977100002", "40%", "2020年4月"],
    "service-point": ["广西壮族自治区南宁市武鸣区城厢镇东风村", "13607710003", "8.5%", "66%"],
}


def squeeze(text: str) -> str:
    """pypdf may put spaces or line breaks between CJK characters; compare without whitespace."""
    return re.sub(r"\s+", "", text)


def text_of(reader) -> str:
    return squeeze("".join(page.extract_text() for page in reader.pages))


def images_drawn(reader) -> list[str]:
    """The image XObjects the pages draw, once per drawing.

    WeasyPrint shares one resource dictionary across pages, so ``page.images`` lists every image
    of the document on every page; the content streams say which page draws which.
    """
    drawn = []
    for page in reader.pages:
        names = {f"/{image.name.rsplit('.', 1)[0]}" for image in page.images}
        operators = re.findall(rb"(/[^\s/]+)\s+Do\b", page.get_contents().get_data())
        drawn += [name.decode() for name in operators if name.decode() in names]
    return drawn


def embedded_fonts(reader):
    """(base font name, has an embedded font file) for every font the pages use."""
    fonts = []
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        for font in resources.get("/Font", {}).get_object().values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants.get_object()[0].get_object() if descendants else font
            descriptor = described["/FontDescriptor"].get_object()
            has_file = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.append((str(font["/BaseFont"]), has_file))
    return fonts


@pytest.fixture
def build(gx, unit, member):
    def make(key, **changes):
        nomination = complete_nomination(member, gx, unit, key, **changes)
        return nomination, PdfReader(io.BytesIO(nomination_pdf(nomination)))

    return make


@pytest.mark.parametrize("key", CATEGORIES)
def test_the_pdf_is_an_a4_form_with_every_label_in_order_and_every_value(build, key):
    nomination, reader = build(key)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert abs(width - A4[0]) <= 1 and abs(height - A4[1]) <= 1
    text = text_of(reader)
    assert text.startswith("附件" + squeeze(nomination.category.form_title))
    position = 0
    for spec in nomination.category.fields.all():
        found = text.find(squeeze(spec.label), position)
        assert found >= position, f"{spec.label} missing or out of order"
        position = found + len(squeeze(spec.label))
    assert text.find(squeeze(nomination.category.photo_label), position) >= position
    for row in form_rows(nomination):
        assert squeeze(row.text) in text, row.label
    for value in [*EXPECTED_VALUES[key], STORY_FIRST_SENTENCE]:
        assert value in text


@pytest.mark.parametrize("key", CATEGORIES)
def test_each_photo_of_the_nomination_is_embedded_as_an_image(build, key):
    nomination, reader = build(key)
    distinct = {image.data for page in reader.pages for image in page.images}
    assert nomination.photos.count() >= 1
    assert len(distinct) == nomination.photos.count()
    assert len(images_drawn(reader)) == nomination.photos.count()


def test_three_photos_give_three_images(build):
    _, reader = build("volunteer", photos=3)
    assert len(images_drawn(reader)) == 3


def test_the_fonts_are_embedded_chinese_in_wenquanyi_zen_hei_latin_in_a_latin_face(build):
    """The layout names the Windows faces first (仿宋_GB2312 with Times New Roman …); on a server
    without them Chinese is set in WenQuanYi Zen Hei, digits and letters in the metric-compatible
    Liberation faces, as LibreOffice does with the Word form."""
    _, reader = build("organisation")
    fonts = embedded_fonts(reader)
    assert all(embedded for _name, embedded in fonts), fonts
    names = {name for name, _embedded in fonts}
    assert any("WenQuanYi" in name for name in names), names
    assert any("Liberation" in name for name in names), names
    assert all("WenQuanYi" in name or "Liberation" in name for name in names), names


def test_the_signature_block_closes_the_form(build):
    _, reader = build("volunteer")
    text = text_of(reader)
    assert text.endswith(squeeze("推荐单位：南宁市科学技术协会（盖章）年    月    日"))


def test_a_draft_with_an_empty_long_text_and_no_photos_still_renders(build):
    nomination, reader = build("volunteer", photos=0, deeds="")
    text = text_of(reader)
    # The long text's row holds only its label; the photo row follows directly.
    assert squeeze("主要事迹（不超过 1000 字）" + nomination.category.photo_label) in text
    assert "李秀梅" in text
    assert STORY_FIRST_SENTENCE not in text
    assert images_drawn(reader) == []


@pytest.mark.parametrize(
    "url", ["http://example.com/logo.png", "https://example.com/x.css", "file:///etc/passwd"]
)
def test_the_renderer_refuses_to_fetch_anything_but_data_uris(url):
    fetcher = _offline_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher(url)
    assert fetcher("data:text/plain;base64,b2s=").read() == b"ok"


def test_the_pdf_is_kept_and_rendered_again_only_when_the_form_changes(
    gx, unit, member, django_capture_on_commit_callbacks
):
    from tests.fixtures.pdfs import pdf_bytes
    from tuixuan.documents.models import RenderedPdf

    nomination = complete_nomination(member, gx, unit, "project", photos=2)
    nomination_pdf(nomination)
    kept = RenderedPdf.objects.get(nomination=nomination)
    stand_in = pdf_bytes()  # put another PDF in the kept file's place
    with kept.file.storage.open(kept.file.name, "wb") as file:
        file.write(stand_in)
    assert nomination_pdf(nomination) == stand_in  # reused: not rendered again

    nomination.values["name"] = "田间课堂科技志愿服务"
    nomination.save()
    with django_capture_on_commit_callbacks(execute=True):
        again = nomination_pdf(nomination)
    assert "田间课堂科技志愿服务" in text_of(PdfReader(io.BytesIO(again)))
    assert not kept.file.storage.exists(kept.file.name)  # the old rendering is gone
    assert RenderedPdf.objects.get(nomination=nomination).file.read() == again
