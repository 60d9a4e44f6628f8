"""POST /api/v1/nominations/from-docx: a filled Word 推荐表 read into a preview, or a draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.fixtures import word_forms
from tuixuan.nominations.models import Nomination

from .conftest import API

GOOD, SMALL = word_forms.photo(1), word_forms.photo(2, (300, 200))
ROWS = [
    ("姓名", "李秀梅"),
    ("性别", "女"),
    ("出生年月", "去年"),
    ("联系方式", "13807710001"),
    ("参加科技志愿服务活动次数", "120次"),
    ("籍贯", "广西南宁"),
]


def post(client, data, **fields):
    body = {"file": SimpleUploadedFile("推荐表.docx", data), **fields}
    return client.post(f"{API}/nominations/from-docx", body)


@pytest.fixture
def form(gx):
    return word_forms.two_column_table("“科技志愿者”先进典型推荐表", ROWS, [GOOD, SMALL])


def test_the_preview_names_the_category_from_the_title_and_saves_nothing(
    client, gx, extended, member, form
):
    client.force_login(member)
    response = post(client, form, campaign=gx.key)  # the caller's only unit
    assert response.status_code == 200
    body = response.json()
    assert body["category"] == "volunteer"
    assert body["values"] == {
        "name": "李秀梅",
        "gender": "女",
        "phone": "13807710001",
        "activity_count": 120,
    }
    assert body["invalid"] == {"birth": "“出生年月”：应填写年月，如2021-03。"}
    assert body["unrecognised"] == ["籍贯"]
    assert [(p["size"], p["accepted"]) for p in body["photos"]] == [
        (len(GOOD), True),
        (len(SMALL), False),
    ]
    assert "不足 1M" in body["photos"][1]["problem"]
    assert not Nomination.objects.exists()


def test_save_creates_the_draft_with_the_valid_values_and_the_acceptable_photos(
    client, gx, extended, member, form
):
    client.force_login(member)
    response = post(client, form, campaign=gx.key, unit=extended.code, save="true")
    assert response.status_code == 201
    nomination = Nomination.objects.get()
    assert response.json()["nomination"]["uid"] == str(nomination.uid)
    assert nomination.status == "draft" and nomination.unit == extended
    assert nomination.values == response.json()["values"]
    assert "birth" not in nomination.values
    assert [p.size for p in nomination.photos.all()] == [len(GOOD)]


def test_a_category_given_is_used_even_without_a_title(client, gx, extended, member):
    client.force_login(member)
    data = word_forms.two_column_table("推荐表", [("负责人姓名", "韦德明")])
    response = post(client, data, campaign=gx.key, category="service-point")
    assert response.status_code == 200
    assert response.json()["values"] == {"leader": "韦德明"}


@pytest.mark.parametrize(
    ("data", "fields", "field", "words"),
    [
        (b"PK\x03\x04 broken", {}, "file", "不是 zip 文件"),
        (None, {"category": "nope"}, "category", "该活动没有类别“nope”"),
        (word_forms.not_a_form(), {}, "category", "未能从文件中识别推荐表标题"),
        (None, {"campaign": "nope"}, "campaign", "没有找到该推选活动"),
    ],
    ids=["not-a-docx", "unknown-category", "no-title", "unknown-campaign"],
)
def test_bad_input_is_422_in_chinese_naming_the_field_and_creates_nothing(
    client, gx, extended, member, form, data, fields, field, words
):
    client.force_login(member)
    response = post(client, data or form, **{"campaign": gx.key, "save": "true", **fields})
    assert response.status_code == 422
    assert response.json()["field"] == field
    assert words in response.json()["message"]
    assert not Nomination.objects.exists()


def test_a_zip_bomb_is_refused(client, gx, extended, member):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (10 * 1024 * 1024))
    client.force_login(member)
    response = post(client, buffer.getvalue(), campaign=gx.key, save="true")
    assert response.status_code == 422
    assert response.json()["field"] == "file"
    assert "压缩炸弹" in response.json()["message"]
    assert not Nomination.objects.exists()


def test_another_units_member_cannot_import_into_this_unit(client, gx, extended, outsider, form):
    client.force_login(outsider)
    response = post(client, form, campaign=gx.key, unit=extended.code, save="true")
    assert response.status_code == 403
    assert not Nomination.objects.exists()


def test_a_member_of_two_units_must_name_one(client, gx, extended, member, other_unit, form):
    from tuixuan.units.models import Role, RoleKind

    Role.objects.create(user=member, kind=RoleKind.UNIT_MEMBER, unit=other_unit)
    client.force_login(member)
    response = post(client, form, campaign=gx.key)
    assert response.status_code == 422
    assert response.json()["field"] == "unit"
