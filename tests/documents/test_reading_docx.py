"""Reading a filled Word 推荐表 into a draft: our own form, and the notice's attachment as units
fill it in Word or WPS (fixtures made by tests/fixtures/word_forms.py); then the unit's pages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import category, complete_nomination, make_member
from tests.fixtures import word_forms
from tuixuan.common.exceptions import Refused
from tuixuan.documents.docx import nomination_docx
from tuixuan.documents.reading_docx import held, hold, read_form
from tuixuan.nominations.models import Nomination

DEEDS = "主要事迹（不超过 1000 字）"
STORY = "扎根乡村十余年，开展农技培训两百余场。\n带动三百余户群众科学种养、增收致富。"
ROWS = [
    ("姓名", "李秀梅"),
    ("性别", "女"),
    ("出生年月", "1978年6月"),
    ("通讯地址", "南宁市青秀区民族大道100号"),
    ("联系方式", "13807710001"),
    ("参加科技志愿服务活动次数", "120次"),
    ("“大美志愿”微信小程序注册情况", "已注册（DMZY-2021-0088）"),
    (DEEDS, STORY),
]
EXPECTED = {
    "name": "李秀梅",
    "gender": "女",
    "birth": "1978-06",
    "address": "南宁市青秀区民族大道100号",
    "phone": "13807710001",
    "activity_count": 120,
    "registration": {"registered": True, "number": "DMZY-2021-0088"},
    "deeds": STORY,
}
GOOD, SMALL = word_forms.photo(1), word_forms.photo(2, (300, 200))


@pytest.fixture
def volunteer(gx):
    return category(gx, "volunteer")


def photo_verdicts(reading):
    return [(len(p.data), p.accepted) for p in reading.photos]


def test_our_own_blank_form_filled_in_gives_every_value_its_photo_and_the_unknown_row(
    gx, volunteer
):
    rows = [*ROWS, ("出生年月", "七八年六月")]  # a value the kind cannot read
    data = word_forms.filled_blank_form(
        volunteer, rows, [GOOD, SMALL], extra_rows=[("籍贯", "广西南宁")]
    )
    reading = read_form(data, gx)  # no category given: read from the form's title
    assert reading.category == volunteer
    assert reading.values == {k: v for k, v in EXPECTED.items() if k != "birth"}
    assert reading.invalid == {"birth": "“出生年月”：应填写年月，如2021-03。"}
    assert reading.unrecognised == ["籍贯"]
    assert photo_verdicts(reading) == [(len(GOOD), True), (len(SMALL), False)]
    assert "不足 1M" in reading.photos[1].problem
    assert reading.photos[0].thumbnail.startswith("data:image/jpeg;base64,")


def test_label_value_paragraphs_are_read_and_a_long_text_runs_until_the_next_label(gx):
    data = word_forms.label_value_paragraphs(
        "附件1：“科技志愿者”先进典型推荐表",
        [*ROWS, ("籍贯", "广西南宁")],
        [GOOD],
        long_labels={DEEDS},
    )
    reading = read_form(data, gx)
    assert reading.category.key == "volunteer"
    assert reading.values == EXPECTED
    assert reading.unrecognised == ["籍贯"]
    assert photo_verdicts(reading) == [(len(GOOD), True)]


def test_a_two_column_table_is_read(gx):
    data = word_forms.two_column_table(
        "“科技志愿者”先进典型推荐表", [*ROWS, ("备注", "无")], [GOOD, word_forms.photo(3)]
    )
    reading = read_form(data, gx)
    assert reading.values == EXPECTED
    assert reading.unrecognised == ["备注"]
    assert [p.accepted for p in reading.photos] == [True, True]


def test_a_wps_style_form_with_spaced_labels_full_width_colons_and_a_merged_label(gx):
    pairs = [row for row in ROWS if row[0] not in {"通讯地址", DEEDS}]
    data = word_forms.wps_style(
        "“科技志愿者”先进典型推荐表",
        pairs,
        spanned=[("通讯地址", ("南宁市青秀区", "民族大道100号"))],
        long_rows=[("主要事迹", STORY)],  # the label without its bracketed note
        photos=[GOOD],
    )
    reading = read_form(data, gx)
    assert reading.values == {**EXPECTED, "address": "南宁市青秀区 民族大道100号"}
    assert reading.invalid == {}
    assert reading.unrecognised == []  # the 照片 caption and the signature are the form's own
    assert photo_verdicts(reading) == [(len(GOOD), True)]


def test_merged_cells_title_row_spanned_values_and_a_label_merged_down(gx):
    rows = [row for row in ROWS if row[0] != "通讯地址"] + [
        ("通讯地址", "南宁市青秀区\n民族大道100号")
    ]
    data = word_forms.merged_cells("“科技志愿者”先进典型推荐表", rows, [GOOD])
    reading = read_form(data, gx)
    assert reading.values == {**EXPECTED, "address": "南宁市青秀区 民族大道100号"}
    assert reading.unrecognised == []
    assert photo_verdicts(reading) == [(len(GOOD), True)]


@pytest.mark.parametrize("key", ["volunteer", "organisation", "project", "service-point"])
def test_the_form_this_system_prints_reads_back_to_the_same_values(gx, unit, member, key):
    """Address parts, a list of rows (teams and their registration), several choices: each
    printed as the form shows it, each read back to what was stored."""
    nomination = complete_nomination(member, gx, unit, key, photos=0)
    reading = read_form(nomination_docx(nomination), gx)
    assert reading.category.key == key
    assert reading.values == nomination.values
    assert reading.invalid == {} and reading.unrecognised == []


def test_a_category_given_wins_and_ticked_boxes_are_read(gx):
    data = word_forms.two_column_table(
        "推荐表", [("姓名", "李秀梅"), ("性别", "☑女 □男"), ("政治面貌", "□群众 ☑中共党员")]
    )
    reading = read_form(data, gx, category(gx, "volunteer"))
    assert reading.values == {"name": "李秀梅", "gender": "女", "political_status": "中共党员"}


def _zip(members) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (b"%PDF-1.7 not a word file", "file", "不是 zip 文件"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "file", "旧版 Word（.doc）"),
        (_zip({"word/document.xml": b"\0" * (10 * 1024 * 1024)}), "file", "压缩炸弹"),
        (_zip({"content.xml": b"<office/>"}), "file", "不是 Word 文档"),
        (_zip({"word/document.xml": b"<not xml"}), "file", "已损坏"),
        (word_forms.not_a_form(), "category", "未能从文件中识别推荐表标题"),
    ],
    ids=["not-a-zip", "old-doc", "zip-bomb", "not-word", "damaged", "no-title"],
)
def test_bad_files_are_refused_naming_the_field(gx, data, field, words):
    with pytest.raises(Refused) as refused:
        read_form(data, gx)
    assert refused.value.field == field
    assert words in refused.value.message


# The unit's pages ------------------------------------------------------------------------------


@pytest.fixture
def open_unit(unit):
    """The pages run at today's date, after the 2025 deadline: extend the unit."""
    from datetime import timedelta

    from django.utils import timezone

    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    return unit


def _urls(gx, unit):
    base = f"/c/{gx.key}/u/{unit.code}/"
    return base, base + "import-docx/"


def test_upload_preview_and_confirm_make_a_draft_and_nothing_before(
    client, gx, open_unit, member, volunteer
):
    campaign_page, import_page = _urls(gx, open_unit)
    client.force_login(member)
    assert import_page in client.get(campaign_page).content.decode()
    data = word_forms.filled_blank_form(
        volunteer, ROWS, [GOOD, SMALL], extra_rows=[("籍贯", "广西南宁")]
    )
    response = client.post(import_page, {"file": SimpleUploadedFile("推荐表.docx", data)})
    assert response.status_code == 302
    preview = response.url
    page = client.get(preview).content.decode()
    assert "李秀梅" in page and "籍贯" in page and "不足 1M" in page
    assert "确认导入" in page
    assert not Nomination.objects.exists()  # nothing until the clerk confirms

    response = client.post(preview, {"category": "volunteer", "action": "confirm"})
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response.url == f"/n/{nomination.uid}/"
    assert nomination.values == EXPECTED and nomination.status == "draft"
    assert [p.size for p in nomination.photos.all()] == [len(GOOD)]
    assert client.get(preview).status_code == 404  # the held file is gone


def test_cancel_saves_nothing_and_forgets_the_file(client, gx, open_unit, member, volunteer):
    _, import_page = _urls(gx, open_unit)
    client.force_login(member)
    data = word_forms.filled_blank_form(volunteer, ROWS)
    preview = client.post(import_page, {"file": SimpleUploadedFile("a.docx", data)}).url
    response = client.post(preview, {"category": "volunteer", "action": "cancel"})
    assert response.status_code == 302
    assert not Nomination.objects.exists()
    assert client.get(preview).status_code == 404


def test_a_bad_file_is_answered_400_on_the_page_and_nothing_is_held(
    client, gx, open_unit, member, media_root
):
    _, import_page = _urls(gx, open_unit)
    client.force_login(member)
    response = client.post(import_page, {"file": SimpleUploadedFile("a.docx", b"not a zip")})
    assert response.status_code == 400
    assert "不能作为 Word 推荐表（.docx）导入" in response.content.decode()
    assert not (media_root / "docx-imports").exists()


def test_another_persons_token_is_not_found(client, gx, open_unit, member, volunteer):
    token = hold(member, word_forms.filled_blank_form(volunteer, ROWS))
    colleague = make_member(open_unit, "colleague")
    client.force_login(colleague)
    _, import_page = _urls(gx, open_unit)
    assert client.get(f"{import_page}{token}/").status_code == 404
    assert held(member, token)  # still the owner's


def test_a_blank_form_gives_no_values_and_no_complaints(gx):
    """Every field found, none filled: an address of parts, a list of rows, a registration —
    none is reported invalid for being empty."""
    reading = read_form(word_forms.filled_blank_form(category(gx, "service-point"), []), gx)
    assert reading.category.key == "service-point"
    assert reading.values == {} and reading.invalid == {} and reading.unrecognised == []
    assert len(reading.found) == reading.category.fields.count()


def test_a_held_form_expires_after_an_hour_and_is_swept_at_the_next_upload(
    gx, unit, member, volunteer, media_root
):
    import os
    import time

    from django.http import Http404

    data = word_forms.filled_blank_form(volunteer, ROWS)
    old = hold(member, data)
    path = media_root / "docx-imports" / str(member.pk) / f"{old}.docx"
    an_hour_ago = time.time() - 3601
    os.utime(path, (an_hour_ago, an_hour_ago))
    with pytest.raises(Http404):
        held(member, old)
    colleague = make_member(unit, "colleague")
    fresh = hold(colleague, data)  # anyone's upload sweeps what was left
    assert not path.exists()
    assert held(colleague, fresh) == data


def test_paragraphs_give_a_list_one_item_a_line_and_a_value_typed_below_its_label(gx):
    data = word_forms.label_value_paragraphs(
        "“科技志愿服务组织”先进典型推荐表",
        [("经常开展的科技志愿服务项目", "1. 科技助农进万家\n2. 田间课堂")],
        long_labels={"经常开展的科技志愿服务项目"},
    )
    # “组织名称：” alone, its value on the next line, and a paragraph that belongs to no field.
    data_with_name = word_forms.label_value_paragraphs(
        "“科技志愿服务组织”先进典型推荐表",
        [("组织名称", "广西农学会科技志愿服务总队\n另起一段的说明。")],
        long_labels={"组织名称"},
    )
    reading = read_form(data, gx)
    assert reading.category.key == "organisation"
    assert reading.values == {"projects": ["科技助农进万家", "田间课堂"]}
    named = read_form(data_with_name, gx)
    assert named.values == {"name": "广西农学会科技志愿服务总队"}
    assert named.unrecognised == ["另起一段的说明。"]
