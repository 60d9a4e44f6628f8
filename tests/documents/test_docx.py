"""The Word form: opened with python-docx, its labels, values and order checked against the
campaign file, for all four categories."""

import io
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from tests.conftest import complete_nomination
from tuixuan.documents.docx import nomination_docx

CATEGORIES = ["volunteer", "organisation", "project", "service-point"]


def cell_texts(document):
    """Each table row as its distinct cells' texts (merged cells appear once)."""
    rows = []
    for row in document.tables[0].rows:
        seen, texts = set(), []
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                texts.append(cell.text)
        rows.append(texts)
    return rows


@pytest.fixture
def build(gx, unit, member):
    def make(key, **changes):
        nomination = complete_nomination(member, gx, unit, key, **changes)
        return nomination, Document(io.BytesIO(nomination_docx(nomination)))

    return make


@pytest.mark.parametrize("key", CATEGORIES)
def test_every_label_of_the_campaign_file_appears_in_order_with_its_value(build, key):
    nomination, document = build(key)
    fields = list(nomination.category.fields.all())
    rows = cell_texts(document)
    assert len(rows) == len(fields) + 1  # one row per field, then the photos
    for spec, row in zip(fields, rows, strict=False):
        if spec.kind == "long_text":
            assert len(row) == 1
            label, *text = row[0].split("\n")
            assert label == spec.label
            assert "".join(text) == nomination.values[spec.key]
        else:
            assert row[0] == spec.label
    assert rows[-1][0].startswith(nomination.category.photo_label)


def test_the_title_is_the_official_form_title_in_a_bold_heading_font(build):
    """Defect fixed: the title was 三号 (16 pt) 黑体; a document's title is 二号 (22 pt) 小标宋."""
    _nomination, document = build("volunteer")
    annex, title = document.paragraphs[:2]
    assert annex.text == "附件"
    assert annex.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
    assert title.text == "“科技志愿者”先进典型推荐表"
    run = title.runs[0]
    assert run.bold and run.font.size.pt == 22
    assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"


def closing_lines(document) -> list[str]:
    """The signature block: the last two lines of the table's last row (with the photos)."""
    return [p.text for p in document.tables[0].rows[-1].cells[0].paragraphs if p.text][-2:]


def test_values_are_shown_as_a_reader_of_the_form_expects(build):
    _, document = build("organisation")
    values = dict(row for row in cell_texts(document) if len(row) == 2)
    assert values["组织名称"] == "广西农学会科技志愿服务总队"
    assert values["成立时间"] == "2018年3月15日"
    assert values["注册科技志愿者人数"] == "120"
    assert values["经常参与科技志愿服务志愿者占组织中志愿者人数比例"] == "75%"
    assert values["联系方式"] == "0771-2863980"
    assert values["经常开展的科技志愿服务项目"] == "1. 科技助农进万家\n2. 田间课堂"
    assert values["“大美志愿”微信小程序注册情况"] == "已注册（DMZY-2021-0088）"


def test_service_point_shows_its_address_and_each_team_with_its_registration(build):
    _, document = build("service-point")
    values = dict(row for row in cell_texts(document) if len(row) == 2)
    assert values["服务点名称"] == "广西壮族自治区南宁市武鸣区城厢镇东风村"
    teams = values["组建的科技志愿服务队"].split("\n")
    assert teams[0] == "1. 东风村第1科技志愿服务队 · “大美志愿”已注册（DMZY-2021-0088）"
    assert len(teams) == 5
    assert (
        values["经常开展的科技志愿服务活动类别"]
        == "理论宣讲、科技培训、农技推广、科普讲座、健康义诊"
    )


def test_volunteer_dates_are_year_and_month(build):
    _, document = build("volunteer")
    values = dict(row for row in cell_texts(document) if len(row) == 2)
    assert values["出生年月"] == "1978年6月"
    assert values["何时起参加科技志愿服务活动"] == "2019年5月"


def test_photos_are_embedded(build):
    _nomination, document = build("volunteer", photos=3)
    pictures = document.inline_shapes
    assert len(pictures) == 3
    assert all(abs(shape.width.cm - 6.5) < 0.01 for shape in pictures)


def test_the_page_is_a4_and_every_run_has_an_east_asian_and_a_latin_font(build):
    """Defect fixed: only the East Asian font was named, so digits in labels fell back to a bold
    serif face beside the Chinese. The margins are GB/T 9704's (上37 下35 左28 右26 mm)."""
    _, document = build("project")
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm) for margin in margins] == [37, 35, 28, 26]
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [
        run
        for row in document.tables[0].rows
        for cell in row.cells
        for p in cell.paragraphs
        for run in p.runs
    ]
    runs = [run for run in runs if run.text]  # picture runs carry no text and no font
    assert runs
    for run in runs:
        fonts = run._element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) in {"仿宋_GB2312", "黑体", "方正小标宋简体"}
        assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:hAnsi")) != None  # noqa: E711
        assert fonts.get(qn("w:ascii")) in {"Times New Roman", "Arial"}


def test_the_signature_block_names_the_unit_to_be_stamped(build):
    _, document = build("volunteer")
    closing = closing_lines(document)
    assert closing == ["推荐单位：南宁市科学技术协会（盖章）", "年    月    日"]


def test_a_draft_with_empty_fields_still_makes_a_form(build):
    _nomination, document = build("volunteer", photos=0, deeds="", phone="")
    rows = cell_texts(document)
    labels = [row[0].split("\n")[0] for row in rows]
    assert "主要事迹（不超过 1000 字）" in labels and "联系方式" in labels


def test_a_jpeg_without_a_jfif_header_is_still_embedded(gx, unit, member):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.conftest import BEFORE_DEADLINE
    from tests.fixtures.images import jpeg_of_size
    from tuixuan.nominations import services

    nomination = complete_nomination(member, gx, unit, "project", photos=1)
    plain = jpeg_of_size(1_500_000, seed=5)
    bare = b"\xff\xd8\xff\xfe\x00\x06camera" + plain[2:]  # a comment where JFIF would be
    upload = SimpleUploadedFile("bare.jpg", bare, "image/jpeg")
    services.add_photo(member, nomination, upload, now=BEFORE_DEADLINE)
    document = Document(io.BytesIO(nomination_docx(nomination)))
    assert len(document.inline_shapes) == 2


def test_photos_are_stored_in_the_word_file_without_being_compressed_again(build):
    import zipfile

    nomination, _ = build("volunteer")
    archive = zipfile.ZipFile(io.BytesIO(nomination_docx(nomination)))
    media = [i for i in archive.infolist() if i.filename.startswith("word/media/")]
    assert len(media) == 2
    assert all(i.compress_type == zipfile.ZIP_STORED for i in media)
    document = next(i for i in archive.infolist() if i.filename == "word/document.xml")
    assert document.compress_type == zipfile.ZIP_DEFLATED


def test_photos_are_embedded_as_smaller_upright_copies_without_their_exif(gx, unit, member):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.conftest import BEFORE_DEADLINE
    from tests.fixtures.images import camera_jpeg
    from tuixuan.nominations import services

    nomination = complete_nomination(member, gx, unit, "project", photos=1)
    original = camera_jpeg((1800, 1350), orientation=6)  # taken with the phone turned
    upload = SimpleUploadedFile("turned.jpg", original, "image/jpeg")
    photo = services.add_photo(member, nomination, upload, now=BEFORE_DEADLINE)

    data = nomination_docx(nomination)
    archive = zipfile.ZipFile(io.BytesIO(data))
    with Image.open(io.BytesIO(archive.read("word/media/photo2.jpeg"))) as embedded:
        assert embedded.size == (960, 1280)  # upright, the long side 1280 px
        assert not embedded.getexif()  # no camera data, no GPS position
    shape = Document(io.BytesIO(data)).inline_shapes[1]
    assert shape.height > shape.width  # shown upright in Word too
    assert len(data) < len(original)  # the form does not carry the 2 MB original again
    with photo.file.open("rb") as kept:
        assert kept.read() == original  # the original stays exactly as uploaded


def test_removing_a_photo_removes_its_form_copy(
    gx, unit, member, django_capture_on_commit_callbacks
):
    from tests.conftest import BEFORE_DEADLINE
    from tuixuan.nominations import services

    nomination = complete_nomination(member, gx, unit, "project", photos=2)
    photo = nomination.photos.first()
    copy = photo.form_copy.name
    assert copy and photo.form_copy.storage.exists(copy)
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_photo(member, photo, now=BEFORE_DEADLINE)
    assert not photo.form_copy.storage.exists(copy)


def test_markup_control_characters_and_tabs_in_values_make_a_valid_form(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "project", photos=0)
    nomination.values["name"] = "科普<进村>&“田间\t课堂”]]>"
    nomination.unit.name = "南宁市科协\x0b（含控制符）"
    document = Document(io.BytesIO(nomination_docx(nomination)))
    values = dict(row for row in cell_texts(document) if len(row) == 2)
    assert values["项目名称"] == "科普<进村>&“田间\t课堂”]]>"  # the tab is Word's own tab
    assert closing_lines(document)[0] == "推荐单位：南宁市科协（含控制符）（盖章）"


def test_a_photo_without_a_stored_copy_gets_one_made_on_the_spot(gx, unit, member):
    from PIL import Image

    from tuixuan.nominations.models import Photo

    nomination = complete_nomination(member, gx, unit, "project", photos=2)
    Photo.objects.filter(nomination=nomination).update(form_copy="")  # as before copies existed
    archive = zipfile.ZipFile(io.BytesIO(nomination_docx(nomination)))
    first = nomination.photos.first()
    with Image.open(io.BytesIO(archive.read("word/media/photo1.jpeg"))) as embedded:
        assert embedded.size == (first.width, first.height)  # small already: not enlarged
        assert embedded.format == "JPEG" and "comment" not in embedded.info


def test_a_label_changed_in_the_campaign_file_shows_in_the_next_form(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "project", photos=0)
    nomination.category.fields.filter(key="name").update(label="项目全称")
    nomination = type(nomination).objects.get(pk=nomination.pk)
    rows = cell_texts(Document(io.BytesIO(nomination_docx(nomination))))
    assert rows[0] == ["项目全称", nomination.values["name"]]
