"""The official Word form of a nomination (python-docx), laid out like the notice's attachment.

A4, the form title, one two-column table of the campaign file's labels and the values, each long
text in a row of its own, the photos, and the unit's signature block. Every run carries its East
Asian font (``w:eastAsia``), or Word and WPS fall back to odd fonts for Chinese.
"""

import io
import zipfile

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.exceptions import UnrecognizedImageError
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from tuixuan.campaigns.models import FieldKind

from .rows import Row, form_rows, signature_lines

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "SimSun"  # 宋体
TITLE_FONT = "SimHei"  # 黑体
BODY_SIZE = Pt(12)  # 小四
TITLE_SIZE = Pt(16)  # 三号
LABEL_WIDTH = Cm(4.6)
VALUE_WIDTH = Cm(11.4)
PHOTO_WIDTH = Cm(7.2)


def nomination_docx(nomination, out=None) -> bytes | None:
    """Write the form to ``out`` (a binary file), or return its bytes."""
    return _form(
        nomination.category,
        form_rows(nomination),
        nomination.photos.all(),
        signature_lines(nomination),
        out,
    )


def blank_form_docx(category, out=None) -> bytes | None:
    """The empty form, for download from the campaign page: the attachment of the notice."""
    rows = [
        Row(spec.key, spec.label, "", long=spec.kind == FieldKind.LONG_TEXT)
        for spec in category.fields.all()
    ]
    return _form(category, rows, [], ("推荐单位：＿＿＿＿＿＿（盖章）", "年    月    日"), out)


def _form(category, rows, photos, closing, out):
    document = Document()
    _a4(document)
    _normal_style(document)
    _title(document, category.form_title)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row in rows:
        if row.long:
            _wide_row(table, row.label, row.text)
        else:
            _pair_row(table, row.label, row.text)
    _photo_row(table, category, photos)
    document.add_paragraph()
    for line in closing:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, line)
    if out is not None:
        _save(document, out)
        return None
    buffer = io.BytesIO()
    _save(document, buffer)
    return buffer.getvalue()


def _save(document, out):
    """Save as python-docx does, but store photos as they are instead of deflating them.

    JPEG and PNG are compressed already: deflating them again gains nothing and was most of the
    time a form with two 1.5 MB photos took. Word and WPS read stored members like any other.
    """
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    writer = _MediaStoringWriter(out)
    try:
        PackageWriter._write_content_types_stream(writer, package.parts)
        PackageWriter._write_pkg_rels(writer, package.rels)
        PackageWriter._write_parts(writer, package.parts)
    finally:
        writer.close()


class _MediaStoringWriter:
    STORED = frozenset({"jpeg", "jpg", "png"})

    def __init__(self, out):
        self.archive = zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)

    def write(self, pack_uri, blob):
        stored = pack_uri.ext.lower() in self.STORED
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        self.archive.writestr(pack_uri.membername, blob, compress_type=method)

    def close(self):
        self.archive.close()


def _a4(document):
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Cm(2.5)
        section.top_margin = section.bottom_margin = Cm(2.5)


def _normal_style(document):
    style = document.styles["Normal"]
    style.font.name = BODY_FONT
    style.font.size = BODY_SIZE
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)


def _run(paragraph, text, *, font=BODY_FONT, size=BODY_SIZE, bold=False):
    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = size
    run.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _title(document, text):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, text, font=TITLE_FONT, size=TITLE_SIZE, bold=True)


def _write(cell, text, *, bold=False):
    """Fill a cell; each line of the text becomes its own paragraph."""
    lines = (text or "").split("\n")
    first = cell.paragraphs[0]
    _run(first, lines[0], bold=bold)
    for line in lines[1:]:
        _run(cell.add_paragraph(), line)


def _pair_row(table, label, text):
    cells = table.add_row().cells
    cells[0].width, cells[1].width = LABEL_WIDTH, VALUE_WIDTH
    _write(cells[0], label, bold=True)
    _write(cells[1], text)


def _wide_row(table, label, text):
    """A long text: its label, then its paragraphs, in one row across the table."""
    cells = table.add_row().cells
    cell = cells[0].merge(cells[1])
    _write(cell, label, bold=True)
    for line in (text or "").split("\n"):
        paragraph = cell.add_paragraph()
        paragraph.paragraph_format.first_line_indent = Pt(24)
        _run(paragraph, line)


def _photo_row(table, category, photos):
    cells = table.add_row().cells
    cell = cells[0].merge(cells[1])
    _write(cell, category.photo_label, bold=True)
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for photo in photos:
        with photo.file.open("rb") as image:
            try:
                paragraph.add_run().add_picture(image, width=PHOTO_WIDTH)
            except UnrecognizedImageError:
                # A valid JPEG without a JFIF or Exif header: python-docx cannot size it.
                paragraph.add_run().add_picture(_reencoded(image), width=PHOTO_WIDTH)
        _run(paragraph, " ")


def _reencoded(image) -> io.BytesIO:
    from PIL import Image

    image.seek(0)
    buffer = io.BytesIO()
    with Image.open(image) as picture:
        picture.convert("RGB").save(buffer, "JPEG", quality=90)
    buffer.seek(0)
    return buffer
