"""The official Word form of a nomination (python-docx), laid out like the notice's attachment.

A4, the form title, one two-column table of the campaign file's labels and the values, each long
text in a row of its own, the photos, and the unit's signature block. Every run carries its East
Asian font (``w:eastAsia``), or Word and WPS fall back to odd fonts for Chinese.

python-docx lays each category's form out once, with a marker where each value goes
(:class:`FormTemplate`); a nomination's form is that template with its values and photos put in
place of the markers. Building the document object anew for every nomination took ~40 ms, most
of the time a package of 1,000 took; filling the template takes a few and gives the same form.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu, Mm, Pt
from lxml import etree

from tuixuan.campaigns import kinds

from .rows import Row, form_picture, form_rows, signature_lines

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "SimSun"  # 宋体
TITLE_FONT = "SimHei"  # 黑体
BODY_SIZE = Pt(12)  # 小四
TITLE_SIZE = Pt(16)  # 三号
LABEL_WIDTH = Cm(4.6)
VALUE_WIDTH = Cm(11.4)
PHOTO_WIDTH = Cm(7.0)  # two side by side; at 7.2 cm LibreOffice already puts one per line
BLANK_CLOSING = ("推荐单位：＿＿＿＿＿＿（盖章）", "年    月    日")

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
PICTURE_TYPES = {"jpeg": "image/jpeg", "png": "image/png"}
TAB = '</w:t><w:tab/><w:t xml:space="preserve">'  # a tab in a value, as Word writes one
# Characters XML 1.0 cannot carry; python-docx would refuse the whole form for one of them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def nomination_docx(nomination, out=None) -> bytes | None:
    """Write the form to ``out`` (a binary file), or return its bytes."""
    fields = nomination.category.fields.all()
    return form_template(nomination.category, fields).fill(
        form_rows(nomination, fields),
        nomination.photos.all(),
        signature_lines(nomination),
        out,
    )


def blank_form_docx(category, out=None) -> bytes | None:
    """The empty form, for download from the campaign page: the attachment of the notice."""
    fields = category.fields.all()
    rows = [Row(spec.key, spec.label, "", long=kinds.of(spec).long) for spec in fields]
    return form_template(category, fields).fill(rows, [], BLANK_CLOSING, out)


def form_template(category, fields) -> "FormTemplate":
    """The category's template, laid out once per form title, photo label and field list."""
    return _template(
        category.form_title,
        category.photo_label,
        tuple((spec.key, spec.label, kinds.of(spec).long) for spec in fields),
    )


# Filling ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Slot:
    """Where a value goes: the marker's paragraph, cut before and after the marker's text."""

    number: int  # which value: the fields in order, then the photos, then the closing lines
    paragraph: bytes  # <w:p> with its properties
    run: bytes  # <w:r> with its properties, then <w:t xml:space="preserve">
    END_RUN = b"</w:t></w:r>"
    END_PARAGRAPH = b"</w:p>"

    def filled(self, value) -> bytes:
        return self.pictures(value) if isinstance(value, list) else self.lines(value)

    def lines(self, text) -> bytes:
        """One paragraph per line of the text, formatted as the marker was."""
        return b"".join(
            self.paragraph + self.run + _xml_text(line) + self.END_RUN + self.END_PARAGRAPH
            for line in (text or "").split("\n")
        )

    def pictures(self, drawings) -> bytes:
        """The photos side by side in the marker's paragraph, a space after each."""
        space = self.run + b" " + self.END_RUN
        return self.paragraph + b"".join(d + space for d in drawings) + self.END_PARAGRAPH


class FormTemplate:
    """A category's form as python-docx wrote it, with slots where the values go.

    ``pieces`` is the document's XML as bytes between slots: one slot per field, then the
    photos, then the two closing lines. ``static`` is the zip of every other part; a filled form
    is that zip with the document, its relationships and the photos appended.
    """

    def __init__(self, keys, pieces, static, relationships, next_id):
        self.keys = keys
        self.pieces = pieces
        self.static = static
        self.relationships = relationships
        self.next_id = next_id

    def fill(self, rows, photos, closing, out=None) -> bytes | None:
        if [row.key for row in rows] != self.keys:
            raise ValueError("the rows are not this template's fields")
        media, relationships, drawings = [], [], []
        for number, photo in enumerate(photos, start=1):
            picture = form_picture(photo)
            extension = "png" if picture.content_type == PICTURE_TYPES["png"] else "jpeg"
            target, rid = f"media/photo{number}.{extension}", f"rIdPhoto{number}"
            media.append((f"word/{target}", picture.data))
            relationships.append(
                f'<Relationship Id="{rid}" Type="{RELATIONSHIP_TYPE.IMAGE}" Target="{target}"/>'
            )
            drawings.append(_drawing(self.next_id + number, rid, target, picture))
        values = [*(row.text for row in rows), drawings, *closing]
        document = b"".join(
            piece if isinstance(piece, bytes) else piece.filled(values[piece.number])
            for piece in self.pieces
        )
        rels = self.relationships.replace(
            b"</Relationships>", "".join(relationships).encode() + b"</Relationships>"
        )
        buffer = io.BytesIO(self.static)
        with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(DOCUMENT, document)
            archive.writestr(DOCUMENT_RELS, rels)
            for name, data in media:
                # JPEG and PNG are compressed already: deflating them again gains nothing.
                archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)
        if out is None:
            return buffer.getvalue()
        out.write(buffer.getbuffer())
        return None


def _xml_text(text) -> bytes:
    """Text for inside ``<w:t>``: escaped, without what XML cannot hold, tabs as Word's tabs."""
    return escape(NOT_XML.sub("", text)).replace("\t", TAB).encode("utf-8")


def _drawing(shape_id, rid, target, picture) -> bytes:
    """The picture at the form's width, its height kept in proportion."""
    height = Emu(round(PHOTO_WIDTH * picture.height / picture.width))
    inline = CT_Inline.new_pic_inline(shape_id, rid, target.rsplit("/")[-1], PHOTO_WIDTH, height)
    return b"<w:r><w:drawing>" + etree.tostring(inline) + b"</w:drawing></w:r>"


# Laying out (python-docx, once per form) --------------------------------------------------------


def _marker(number) -> str:
    return f"TUIXUAN-SLOT-{number:04d}"


@lru_cache(maxsize=64)
def _template(title, photo_label, fields) -> FormTemplate:
    document = Document()
    _a4(document)
    _normal_style(document)
    _title(document, title)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for number, (_key, label, long) in enumerate(fields):
        if long:
            _wide_row(table, label, _marker(number))
        else:
            _pair_row(table, label, _marker(number))
    _photo_row(table, photo_label, _marker(len(fields)))
    document.add_paragraph()
    for number in (len(fields) + 1, len(fields) + 2):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        _run(paragraph, _marker(number))
    return _compile(document, [key for key, _label, _long in fields], slots=len(fields) + 3)


def _compile(document, keys, slots) -> FormTemplate:
    members = _Members()
    package = document.part.package
    for part in package.parts:
        part.before_marshal()
    PackageWriter._write_content_types_stream(members, package.parts)
    PackageWriter._write_pkg_rels(members, package.rels)
    PackageWriter._write_parts(members, package.parts)
    members.add_picture_types()
    xml, relationships = members.pop(DOCUMENT), members.pop(DOCUMENT_RELS)
    pieces, start = [], 0
    for number in range(slots):
        marker = _marker(number).encode()
        at = xml.index(marker)
        paragraph = max(xml.rfind(b"<w:p>", 0, at), xml.rfind(b"<w:p ", 0, at))
        run = max(xml.rfind(b"<w:r>", 0, at), xml.rfind(b"<w:r ", 0, at))
        text = at - len(b"<w:t>")
        if xml[text:at] != b"<w:t>" or not xml.startswith(b"</w:t></w:r></w:p>", at + len(marker)):
            raise ValueError(f"python-docx wrote slot {number} in an unexpected shape")
        pieces.append(xml[start:paragraph])
        run_start = xml[run:text] + b'<w:t xml:space="preserve">'
        pieces.append(_Slot(number, xml[paragraph:run], run_start))
        start = at + len(marker) + len(b"</w:t></w:r></w:p>")
    pieces.append(xml[start:])
    ids = [int(found) for found in re.findall(rb' id="(\d+)"', xml)]
    static = members.zipped()
    return FormTemplate(keys, pieces, static, relationships, next_id=max(ids, default=0))


class _Members:
    """Collects the parts python-docx's package writer writes, by their names in the zip."""

    def __init__(self):
        self.blobs = {}

    def write(self, pack_uri, blob):
        self.blobs[pack_uri.membername] = blob

    def pop(self, name) -> bytes:
        return self.blobs.pop(name)

    def add_picture_types(self):
        """Declare JPEG and PNG once, so the photos of any form need no content-type change."""
        types = self.blobs[CONTENT_TYPES]
        for extension, content_type in PICTURE_TYPES.items():
            if f'Extension="{extension}"'.encode() not in types:
                default = f'<Default Extension="{extension}" ContentType="{content_type}"/>'
                types = types.replace(b"</Types>", default.encode() + b"</Types>")
        self.blobs[CONTENT_TYPES] = types

    def zipped(self) -> bytes:
        """The parts still held (those that never change), as a zip to append a form to."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, blob in self.blobs.items():
                archive.writestr(name, blob)
        return buffer.getvalue()


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


def _pair_row(table, label, marker):
    cells = table.add_row().cells
    cells[0].width, cells[1].width = LABEL_WIDTH, VALUE_WIDTH
    _write(cells[0], label, bold=True)
    _write(cells[1], marker)


def _wide_row(table, label, marker):
    """A long text: its label, then its paragraphs (first lines indented), across the table."""
    cells = table.add_row().cells
    cell = cells[0].merge(cells[1])
    _write(cell, label, bold=True)
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(24)
    _run(paragraph, marker)


def _photo_row(table, label, marker):
    cells = table.add_row().cells
    cell = cells[0].merge(cells[1])
    _write(cell, label, bold=True)
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(paragraph, marker)
