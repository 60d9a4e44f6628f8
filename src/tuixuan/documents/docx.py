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
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.opc.pkgwriter import PackageWriter
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Emu, Mm, Pt
from lxml import etree

from tuixuan.campaigns import kinds
from tuixuan.campaigns.layout import LINE, TITLE_LINE, layout_of

from .rows import Row, form_picture, form_rows, signature_lines

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PHOTO_WIDTH = Cm(6.5)  # two side by side in the 15.6 cm between GB/T 9704 margins; the PDF too
BLANK_CLOSING = ("推荐单位：＿＿＿＿＿＿（盖章）", "年    月    日")

DOCUMENT = "word/document.xml"
DOCUMENT_RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
PICTURE_TYPES = {"jpeg": "image/jpeg", "png": "image/png"}
TAB = '</w:t><w:tab/><w:t xml:space="preserve">'  # a tab in a value, as Word writes one
# What follows autoSpaceDE/autoSpaceDN in a paragraph's properties (ECMA-376, CT_PPrBase).
AFTER_AUTO_SPACE = (
    "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
    "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr",
    "w:pPrChange",
)  # fmt: skip
# Characters XML 1.0 cannot carry; python-docx would refuse the whole form for one of them.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def nomination_docx(nomination, out=None) -> bytes | None:
    """Write the form to ``out`` (a binary file), or return its bytes."""
    fields = nomination.category.fields.all()
    return form_template(nomination.campaign, nomination.category, fields).fill(
        form_rows(nomination, fields),
        nomination.photos.all(),
        signature_lines(nomination),
        out,
    )


def blank_form_docx(category, out=None) -> bytes | None:
    """The empty form, for download from the campaign page: the attachment of the notice."""
    fields = category.fields.all()
    rows = [Row(spec.key, spec.label, "", long=kinds.of(spec).long) for spec in fields]
    return form_template(category.campaign, category, fields).fill(rows, [], BLANK_CLOSING, out)


def form_template(campaign, category, fields) -> "FormTemplate":
    """The category's template, laid out once per form title, photo label, fields and layout."""
    return _template(
        category.form_title,
        category.photo_label,
        tuple((spec.key, spec.label, kinds.of(spec).long) for spec in fields),
        layout_of(campaign, category),
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
def _template(title, photo_label, fields, layout) -> FormTemplate:
    document = Document()
    _page(document, layout)
    _normal_style(document, layout)
    if layout.annex:
        _annex(document, layout)
    _title(document, title, layout)
    table = _table(document, layout)
    for number, (_key, label, long) in enumerate(fields):
        if long:
            _wide_row(table, label, _marker(number), layout)
        else:
            _pair_row(table, label, _marker(number), layout)
    slots = len(fields)
    _photo_row(table, photo_label, (_marker(slots), _marker(slots + 1), _marker(slots + 2)), layout)
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


def _page(document, layout):
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = (
            Mm(layout.margin_top_mm),
            Mm(layout.margin_bottom_mm),
        )
        section.left_margin, section.right_margin = (
            Mm(layout.margin_left_mm),
            Mm(layout.margin_right_mm),
        )


def _fonts(element, east_asian, latin):
    """Name the font for Chinese and for Latin runs alike, so digits match their neighbours."""
    fonts = element.get_or_add_rPr().get_or_add_rFonts()
    for script in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(script), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _normal_style(document, layout):
    style = document.styles["Normal"]
    style.font.size = Pt(layout.body_pt)
    _fonts(style.element, layout.body_font, layout.body_latin_font)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = Pt(layout.line_pt)  # exactly: the PDF's line-height
    # No extra space between Chinese and Latin text (LibreOffice adds it by default; the PDF
    # does not, and the lines would break at different characters).
    properties = style.element.get_or_add_pPr()
    for name in ("w:autoSpaceDE", "w:autoSpaceDN"):  # where the schema puts them: Word is strict
        properties.insert_element_before(_element(name, **{"w:val": "0"}), *AFTER_AUTO_SPACE)


def _run(paragraph, text, layout, *, heading=False, size=None, bold=False, font=None):
    run = paragraph.add_run(text)
    run.font.size = Pt(size or layout.body_pt)
    run.bold = bold
    if font is not None:
        _fonts(run._element, font, layout.body_latin_font)
    elif heading:
        _fonts(run._element, layout.heading_font, layout.heading_latin_font)
    else:
        _fonts(run._element, layout.body_font, layout.body_latin_font)
    return run


def _annex(document, layout):
    """The “附件” mark at the top left, in 黑体 三号, as on a notice's attachment."""
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing = Pt(layout.annex_pt * LINE)
    _run(paragraph, layout.annex, layout, heading=True, size=layout.annex_pt)


def _title(document, text, layout):
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(layout.body_pt)
    paragraph.paragraph_format.space_after = Pt(layout.title_pt * 0.6)
    paragraph.paragraph_format.line_spacing = Pt(layout.title_pt * TITLE_LINE)
    _run(paragraph, text, layout, size=layout.title_pt, bold=True, font=layout.title_font)


def _table(document, layout):
    """A fixed-width two-column grid with cell padding, its label column ``label_width_percent``."""
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, _column_widths(layout), strict=True):
        column.width = width
    table._tbl.tblPr.insert_element_before(
        _element(
            "w:tblCellMar",
            *(
                _element(f"w:{side}", **{"w:w": str(twips), "w:type": "dxa"})
                for side, twips in (("top", 57), ("left", 113), ("bottom", 57), ("right", 113))
            ),
        ),
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
    )
    return table


def _column_widths(layout) -> tuple[Emu, Emu]:
    width = Mm(layout.text_width_mm)
    label = Emu(round(width * layout.label_width_percent / 100))
    return label, Emu(width - label)


def _element(tag, *children, **attributes):
    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name), value)
    for child in children:
        element.append(child)
    return element


def _row(table, layout, *, keep_whole=False, min_height_mm=None):
    row = table.add_row()
    properties = row._tr.get_or_add_trPr()
    if keep_whole:
        properties.append(_element("w:cantSplit"))
    if min_height_mm:
        properties.append(
            _element(
                "w:trHeight", **{"w:val": str(round(min_height_mm * 56.7)), "w:hRule": "atLeast"}
            )
        )
    for cell, width in zip(row.cells, _column_widths(layout), strict=True):
        cell.width = width
    return row


def _write(cell, text, layout, *, heading=False, bold=False):
    """Fill a cell; each line of the text becomes its own paragraph."""
    lines = (text or "").split("\n")
    first = cell.paragraphs[0]
    _run(first, lines[0], layout, heading=heading, bold=bold)
    for line in lines[1:]:
        _run(cell.add_paragraph(), line, layout, heading=heading, bold=bold)


def _pair_row(table, label, marker, layout):
    cells = _row(table, layout, keep_whole=True, min_height_mm=10).cells
    for cell in cells:
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _write(cells[0], label, layout, heading=True, bold=True)
    _write(cells[1], marker, layout)


def _wide_row(table, label, marker, layout):
    """A long text: its label, then its paragraphs (first lines indented), across the table.

    The row may break across pages (a 1,000-character text fills most of one); Word and
    LibreOffice draw the border on both sides of the break.
    """
    cells = _row(table, layout).cells
    cell = cells[0].merge(cells[1])
    _write(cell, label, layout, heading=True, bold=True)
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.first_line_indent = Pt(layout.body_pt * 2)
    _run(paragraph, marker, layout)


def _photo_row(table, label, markers, layout):
    """The caption, the photos and the signature block in one row that never breaks.

    A caption never ends a page without its photos, and 推荐单位（盖章） and the date stay with
    them, ``seal_space_mm`` apart for the seal. (Kept outside the table, the block needed the row
    to "keep with next", which LibreOffice ignores: the block stood alone on the last page.)
    """
    photos, unit_line, date_line = markers
    cells = _row(table, layout, keep_whole=True).cells
    cell = cells[0].merge(cells[1])
    _write(cell, label, layout, heading=True, bold=True)
    paragraph = cell.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.line_spacing = 1.0  # as tall as the photos: exact lines clip them
    _run(paragraph, photos, layout)
    unit = cell.add_paragraph()
    unit.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    unit.paragraph_format.space_before = Pt(layout.body_pt * 2)
    _run(unit, unit_line, layout)
    date = cell.add_paragraph()
    date.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    date.paragraph_format.space_before = Mm(layout.seal_space_mm)
    date.paragraph_format.space_after = Pt(layout.body_pt)
    _run(date, date_line, layout)
