"""Reading a filled 推荐表 (.docx) back into a draft: the form this system prints, or the notice's
attachment as units fill it in Word or WPS.

``read_form`` finds the category (from the form's title unless one is given), every field whose
label it recognises — in a table (label cell, value cell beside it; a long text's label and its
paragraphs in one wide cell) or in paragraphs (“label：value”, or a label alone followed by its
paragraphs) — and the embedded pictures. Each value is read from the text as the official form
shows it (``raw_from_text``) and cleaned by its field's kind, so a recognised but invalid value
is reported beside its field, never crashed on; each picture is checked against the category's
photo bounds as an upload is. What it did not recognise is listed. Nothing is stored:
``save_draft`` creates the draft (with the valid values and the acceptable photos) through
``nominations.services``, when the clerk confirms.

A .docx is a zip someone else wrote: ``common/archive.py`` checks it (paths, sizes, ratio) before
python-docx parses anything. Nothing read here is logged.
"""

import base64
import io
import re
import unicodedata
import uuid
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

from tuixuan.campaigns import kinds
from tuixuan.campaigns.kinds.address import Address
from tuixuan.campaigns.kinds.choices import Choice, MultiChoice
from tuixuan.campaigns.kinds.lists import List
from tuixuan.campaigns.kinds.numbers import DecimalNumber, Integer
from tuixuan.campaigns.kinds.registration import Registration
from tuixuan.campaigns.labels import keys_by_printed_label, label_key
from tuixuan.common.archive import MIB, Limits, open_archive
from tuixuan.common.exceptions import FieldError, Refused
from tuixuan.common.images import smaller_copy
from tuixuan.nominations import services
from tuixuan.nominations.files import inspect_image

MAX_BYTES = 20 * MIB  # a form with three 3 MB photos is about 9 MB
LIMITS = Limits(members=500, member_bytes=MAX_BYTES, total_bytes=3 * MAX_BYTES)
DOCUMENT = "word/document.xml"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # how a .doc (and other old Office files) begins
THUMBNAIL = 240
SHOWN_MAX = 60  # characters of an unrecognised line the clerk is shown
PICTURE_TYPES = {"image/jpeg": "jpg", "image/png": "png"}
_COLON = re.compile(r"[:：]")
_NUMBERING = re.compile(r"^\s*(?:\d+\s*[.、．)）]|[（(]\d+[)）])\s*")
_NUMBER_WITH_UNIT = re.compile(r"^([\d０-９][\d０-９,，.．]*)\s*[\u4e00-\u9fff]{1,3}$")
_TICKED = re.compile(r"[☑☒■√✓✔]\s*([^\s□☐☑☒■√✓✔]+)")
_BOXES = re.compile(r"[□☐☑☒■√✓✔]")
VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"  # older WPS and Word pictures
_ANNEX = re.compile(r"^附件\d*$")


@dataclass
class FoundPhoto:
    name: str
    content_type: str
    data: bytes
    problem: str = ""  # why it cannot be taken (a photo bound, not a picture, too many)
    thumbnail: str = ""  # a data: URL of a small copy, for the preview

    @property
    def accepted(self) -> bool:
        return not self.problem


@dataclass
class Reading:
    """What a filled form says: the values that clean, why the others do not, the photos."""

    category: object
    values: dict = field(default_factory=dict)
    invalid: dict = field(default_factory=dict)  # field key → Chinese message naming the field
    found: list = field(default_factory=list)  # the keys of the fields recognised, in form order
    photos: list = field(default_factory=list)
    unrecognised: list = field(default_factory=list)

    def rows(self):
        """(field, shown value, problem, recognised) for every field of the category."""
        for spec in self.category.fields.all():
            value = self.values.get(spec.key)
            shown = kinds.of(spec).text(value) if value is not None else ""
            yield spec, shown, self.invalid.get(spec.key, ""), spec.key in self.found


def read_form(data: bytes, campaign, category=None) -> Reading:
    """Read ``data`` (a .docx) for ``campaign``; ``category`` is recognised from the form's
    title when not given. ``Refused`` naming the field for a file that is no safe .docx, or a
    form whose category cannot be told."""
    document = _document(data)
    blocks = list(_blocks(document))
    if category is None:
        category = _category_from_title(campaign, blocks)
    reading = Reading(category)
    raw = _Collector(category, campaign).collect(blocks)
    reading.unrecognised = raw.unrecognised
    reading.found = [spec.key for spec in category.fields.all() if spec.key in raw.texts]
    converted = {}
    for spec in category.fields.all():
        if not raw.texts.get(spec.key):
            continue  # not on the form, or left blank there
        kind = kinds.of(spec)
        try:
            converted[spec.key] = raw_from_text(kind, raw.texts[spec.key])
        except FieldError as error:
            reading.invalid[spec.key] = kind.named(error)
    values, invalid = kinds.clean_values(category.fields.all(), converted)
    reading.values, reading.invalid = values, {**reading.invalid, **invalid}
    reading.photos = _photos(document, category)
    return reading


@transaction.atomic
def save_draft(user, reading: Reading, *, campaign, unit, now=None):
    """The draft the clerk confirmed: its valid values, then its acceptable photos, through the
    same services as the unit's page (so the same permission, deadline and photo checks)."""
    nomination = services.create_nomination(
        user,
        campaign=campaign,
        category=reading.category,
        unit=unit,
        values=reading.values,
        now=now,
    )
    for photo in reading.photos:
        if photo.accepted:
            upload = SimpleUploadedFile(photo.name, photo.data, content_type=photo.content_type)
            services.add_photo(user, nomination, upload, now=now)
    return nomination


# The file -------------------------------------------------------------------------------------


def read_upload(upload) -> bytes:
    """The uploaded form's bytes, refused unread when larger than a form can be."""
    if upload.size > MAX_BYTES:
        raise _refused(_too_large())
    return upload.read()


def _too_large() -> str:
    return _("Word 文件过大（超过 20MB），请压缩其中的照片后再导入。")


def _refused(message):
    return Refused(message, field="file")


def _document(data: bytes):
    if not data:
        raise _refused(_("请选择要导入的 Word 推荐表（.docx）。"))
    if len(data) > MAX_BYTES:
        raise _refused(_too_large())
    if data.startswith(OLE):
        raise _refused(_("这是旧版 Word（.doc）文件，请在 Word 或 WPS 中另存为 .docx 后再导入。"))
    try:
        with open_archive(io.BytesIO(data), noun=_("Word 文件"), limits=LIMITS) as archive:
            if DOCUMENT not in archive.members:
                raise _refused(
                    _("该文件不是 Word 文档（.docx），请在 Word 或 WPS 中另存为 .docx。")
                )
    except Refused as error:
        if error.field == "file":
            raise
        message = _("该文件不能作为 Word 推荐表（.docx）导入：%(why)s") % {"why": error.message}
        raise _refused(message) from None
    try:
        return Document(io.BytesIO(data))
    except Exception:  # python-docx and lxml raise many kinds for a damaged part
        raise _refused(
            _("该 Word 文件已损坏或格式不受支持，请在 Word 或 WPS 中另存为 .docx。")
        ) from None


# The document as text blocks, in reading order --------------------------------------------------


@dataclass
class _Cell:
    element: object  # the cell's <w:tc>: a merged cell is the same one wherever it spans
    lines: list

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def _lines(paragraphs) -> list[str]:
    return [text for paragraph in paragraphs if (text := paragraph.text.strip())]


def _blocks(document):
    """Each paragraph as ("p", lines) and each table row as ("row", cells), in reading order;
    a table inside a cell gives its rows after that cell's row."""
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            yield "p", _lines([Paragraph(element, document)])
        elif element.tag == qn("w:tbl"):
            yield from _table_rows(Table(element, document))


def _table_rows(table):
    for row in table.rows:
        cells, seen, nested = [], set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # merged across columns: python-docx gives the cell once per column
            seen.add(id(cell._tc))
            cells.append(_Cell(cell._tc, _lines(cell.paragraphs)))
            nested.extend(cell.tables)
        yield "row", cells
        for inner in nested:
            yield from _table_rows(inner)


def _category_from_title(campaign, blocks):
    titles = {label_key(c.form_title): c for c in campaign.categories.all()}
    for kind, content in blocks:
        lines = content if kind == "p" else [line for cell in content for line in cell.lines]
        for line in lines:
            text = label_key(line)
            for title, category in sorted(titles.items(), key=lambda item: -len(item[0])):
                if title and title in text:
                    return category
    keys = "、".join(campaign.categories.values_list("key", flat=True))
    raise Refused(
        _("未能从文件中识别推荐表标题（如“%(title)s”），请指明类别（%(keys)s）。")
        % {"title": campaign.categories.first().form_title, "keys": keys},
        field="category",
    )


class _Collector:
    """Walks the blocks, pairing labels with values; keeps what it cannot place."""

    def __init__(self, category, campaign):
        self.fields = {spec.key: spec for spec in category.fields.all()}
        self.keys = keys_by_printed_label(self.fields.values())
        self.furniture = {label_key(c.form_title) for c in campaign.categories.all()}
        self.photo_labels = {
            label_key(re.split(r"[（(]", c.photo_label)[0]) for c in campaign.categories.all()
        }
        self.texts: dict[str, str] = {}
        self.unrecognised: list[str] = []
        self.label_cells: dict[int, str] = {}  # a label cell merged down rows → its field
        self.pending = None  # the key whose paragraphs follow its label

    def collect(self, blocks):
        for kind, content in blocks:
            if kind == "p":
                for line in content:
                    self._paragraph(line)
            else:
                self.pending = None
                self._row(content)
        return self

    # What a label is --------------------------------------------------------------------------

    def _key(self, text):
        return self.keys.get(label_key(text))

    def _is_furniture(self, text) -> bool:
        """The title, the 附件 mark, the photo caption and the signature block."""
        name = label_key(text)
        plain = re.sub(r"[\s_＿]", "", unicodedata.normalize("NFKC", text))
        return (
            not name
            or any(title in name for title in self.furniture)
            or bool(_ANNEX.match(name))
            or any(name.startswith(label) for label in self.photo_labels if label)
            or ("照片" in name and len(name) <= 12)
            or (name.startswith("推荐单位") and "盖章" in name)
            or plain == "年月日"
        )

    def _split(self, text):
        """(key, value) for “label：value” whose label is a field's; (None, label) for one whose
        label is not; None when the text has no colon."""
        parts = _COLON.split(text, maxsplit=1)
        if len(parts) < 2:
            return None
        label, value = parts
        return self._key(label), (value.strip() if self._key(label) else label.strip())

    @staticmethod
    def _labelled(split) -> bool:
        """“短标签：……”: a line headed by a label of its own (not a sentence with a colon),
        which ends the paragraphs of the field before it."""
        return (
            bool(split) and 0 < len(split[1]) <= 12 and not re.search(r"[。，,；;！？]", split[1])
        )

    def _lines_of(self, key) -> bool:
        """Whether the field's value may run over several lines (a long text, a list)."""
        kind = kinds.of(self.fields[key])
        return kind.long or isinstance(kind, List)

    def _put(self, key, value):
        value = value.strip()
        if not value or re.fullmatch(r"[\s_＿]*", value):
            self.texts.setdefault(key, "")
            return
        joiner = "\n" if self._lines_of(key) else " "
        before = self.texts.get(key, "")
        self.texts[key] = f"{before}{joiner}{value}" if before else value

    def _unknown(self, text):
        text = " ".join(text.split())
        if text and not self._is_furniture(text):
            shown = text if len(text) <= SHOWN_MAX else text[:SHOWN_MAX] + "…"
            if shown not in self.unrecognised:
                self.unrecognised.append(shown)

    # Paragraphs ------------------------------------------------------------------------------

    def _paragraph(self, line):
        key = self._key(line)
        if key:
            self.pending = key
            self._put(key, "")
            return
        split = self._split(line)
        if split and split[0]:
            key, value = split
            self._put(key, value)
            self.pending = key if not value or self._lines_of(key) else None
            return
        if self.pending and not self._is_furniture(line) and not self._labelled(split):
            self._put(self.pending, line)
            if not self._lines_of(self.pending):
                self.pending = None  # a one-line value typed below its label
            return
        self.pending = None
        if split and not self._is_furniture(line):
            self._unknown(split[1])
        else:
            self._unknown(line)

    # Table rows -----------------------------------------------------------------------------

    def _row(self, cells):
        index = 0
        while index < len(cells):
            cell = cells[index]
            following = cells[index + 1] if index + 1 < len(cells) else None
            merged_key = self.label_cells.get(id(cell.element))
            key = merged_key or (self._key(cell.text) if cell.lines else None)
            if key:
                self.label_cells[id(cell.element)] = key
                if following is not None and not self._key(following.text):
                    self._put(key, following.text)
                    index += 2
                else:
                    self._put(key, "")
                    index += 1
                continue
            if cell.lines and self._wide(cell):
                index += 1
                continue
            if cell.lines and following is not None and self._looks_like_label(cell):
                if not self._is_furniture(cell.text):
                    self._unknown(cell.text)
                index += 2
                continue
            for line in cell.lines:
                self._unknown(line)
            index += 1

    def _wide(self, cell) -> bool:
        """A cell holding its label (alone, or “label：value”) and then the value's lines."""
        first, rest = cell.lines[0], cell.lines[1:]
        key = self._key(first)
        if key:
            self._put(key, "\n".join(rest))
            return True
        split = self._split(first)
        if split and split[0]:
            key, value = split
            self._put(key, "\n".join([value, *rest]))
            return True
        return False

    @staticmethod
    def _looks_like_label(cell) -> bool:
        return len(cell.lines) == 1 and len(cell.text) <= 30


# From the form's text to what the kind cleans ----------------------------------------------------


def raw_from_text(kind, text):
    """The raw value a kind cleans, from the text a reader sees on the form (the inverse of
    ``Kind.text``, forgiving what people type in Word: units after numbers, ticked boxes)."""
    text = text.strip()
    if isinstance(kind, Registration):
        return _registration(text)
    if isinstance(kind, List):
        lines = [_NUMBERING.sub("", line).strip() for line in text.split("\n")]
        lines = [line for line in lines if line]
        if not kind.columns:
            return lines if len(lines) > 1 else (lines[0] if lines else "")
        return [_list_row(kind, line) for line in lines]
    if isinstance(kind, Address) and kind.levels:
        return _address_parts(kind, " ".join(text.split()))
    if isinstance(kind, Choice):
        ticked = _TICKED.findall(text)
        if ticked:
            return ticked if isinstance(kind, MultiChoice) else ticked[0]
        return _BOXES.sub("", text).strip()
    if isinstance(kind, Integer | DecimalNumber):
        match = _NUMBER_WITH_UNIT.match(text)
        return match.group(1) if match else text
    return text if kind.long else " ".join(text.split())


def _registration(text):
    plain = unicodedata.normalize("NFKC", text).strip()
    for words, answer in (
        (("已注册", "是"), True),
        (("未注册", "否", "没有注册", "尚未注册"), False),
    ):
        for word in words:
            if plain.startswith(word):
                number = plain[len(word) :].strip(" ,，;；:：()（）、.。")
                number = re.sub(r"^(注册)?(名称|编号|号)[:：]?", "", number).strip()
                return {"registered": answer, "number": number}
    return {"registered": "", "number": plain}


def _list_row(kind, line):
    parts = [part.strip() for part in re.split(r"\s*[·\t]\s*|\s{2,}", line) if part.strip()]
    row = {}
    for column, part in zip(kind.columns, parts, strict=False):
        if isinstance(column, Registration):
            part = re.sub(r"^[“\"]?大美志愿[”\"]?", "", part).strip()
        row[column.field.key] = raw_from_text(column, part)
    return row


def _address_parts(kind, text):
    """The parts of a one-line address, split where each level's ending falls (the first place
    from the left that leaves the later levels something); FieldError when it cannot be split."""
    parts, rest = {}, text.replace(" ", "")
    for number, level in enumerate(kind.levels):
        if number == len(kind.levels) - 1:
            parts[level.key] = rest
            break
        cut = next(
            (
                end
                for end in range(1, len(rest))
                if level.ending_of(rest[:end]) and level.ending_of(rest[:end]) != rest[:end]
            ),
            None,
        )
        if cut is None:
            raise FieldError(_("未能按各级拆分，请导入后逐级填写。"))
        parts[level.key], rest = rest[:cut], rest[cut:]
    return parts


# Photos ---------------------------------------------------------------------------------------


def _pictures(document):
    """The document's pictures in reading order, each once: (name, content type, bytes)."""
    seen, part = set(), document.part
    for element in document.element.body.iter(qn("a:blip"), VML_IMAGE):
        rid = element.get(qn("r:embed")) or element.get(qn("r:id"))
        if not rid or rid in seen or rid not in part.rels:
            continue
        seen.add(rid)
        related = part.rels[rid]
        if related.is_external:
            continue
        image = related.target_part
        yield image.partname.rsplit("/", 1)[-1], image.content_type, image.blob


def _photos(document, category) -> list[FoundPhoto]:
    """Every picture, judged as an upload is: a real JPEG or PNG within the category's size
    bounds and count (``inspect_image``, ``Category.photo_size_fault``, ``photo_room_for``)."""
    rule = category.campaign.rule_id_for("photos")
    found, accepted = [], 0
    for number, (name, content_type, data) in enumerate(_pictures(document), start=1):
        extension = PICTURE_TYPES.get(content_type, name.rsplit(".", 1)[-1][:5])
        name = _("照片%(number)s") % {"number": number}
        photo = FoundPhoto(f"{name}.{extension}", content_type, data)
        upload = SimpleUploadedFile(photo.name, data, content_type=content_type)
        try:
            inspect_image(upload, rule, max_pixels=category.photo_max_pixels)
        except Refused as error:
            photo.problem = error.message
        else:  # decodes within the pixel bound: safe to show
            copy, _width, _height = smaller_copy(io.BytesIO(data), THUMBNAIL)
            photo.thumbnail = "data:image/jpeg;base64," + base64.b64encode(copy).decode()
            fault = category.photo_size_fault(len(data))
            if fault is not None:
                photo.problem = _("照片“%(name)s”为%(fault)s。") % {
                    "name": photo.name,
                    "fault": fault,
                }
            elif not category.photo_room_for(accepted):
                photo.problem = _("照片最多%(most)s张，多出的未导入。") % {
                    "most": category.photo_max
                }
        accepted += photo.accepted
        found.append(photo)
    return found


# Between the preview and 确认导入 ----------------------------------------------------------------

HOLD_SECONDS = 60 * 60
HOLDING = "docx-imports"
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


def _held_name(user, token) -> str:
    return f"{HOLDING}/{user.pk}/{token}.docx"


def hold(user, data: bytes) -> str:
    """Keep the uploaded form for ``user`` until it is imported, cancelled, or an hour old;
    the token names it (only for that user). Forms left longer, anyone's, are removed now."""
    _sweep()
    token = uuid.uuid4().hex
    default_storage.save(_held_name(user, token), ContentFile(data))
    return token


def _sweep():
    now = timezone.now()
    try:
        folders, _files = default_storage.listdir(HOLDING)
    except FileNotFoundError:
        return
    for folder in folders:
        try:
            _dirs, names = default_storage.listdir(f"{HOLDING}/{folder}")
        except FileNotFoundError:
            continue
        for name in names:
            path = f"{HOLDING}/{folder}/{name}"
            try:
                if (now - default_storage.get_modified_time(path)).total_seconds() > HOLD_SECONDS:
                    default_storage.delete(path)
            except FileNotFoundError:
                continue  # removed by another request meanwhile


def held(user, token) -> bytes:
    """The form ``user`` uploaded under ``token``; Http404 when it is gone (imported, cancelled,
    expired) or was never theirs."""
    if not _TOKEN.match(token or ""):
        raise Http404(_("导入的文件已过期或不存在，请重新上传。"))
    name = _held_name(user, token)
    try:
        modified = default_storage.get_modified_time(name)
        if (timezone.now() - modified).total_seconds() > HOLD_SECONDS:
            raise FileNotFoundError
        with default_storage.open(name, "rb") as file:
            return file.read()
    except FileNotFoundError:
        raise Http404(_("导入的文件已过期或不存在，请重新上传。")) from None


def release(user, token):
    if _TOKEN.match(token or ""):
        default_storage.delete(_held_name(user, token))
