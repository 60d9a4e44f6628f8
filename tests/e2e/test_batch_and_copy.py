"""A unit's clerk fills many drafts from one Excel workbook (at a desk), then copies one as a new
draft (on a phone)."""

from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.conftest import category, valid_values
from tests.documents.test_batch import as_typed
from tuixuan.nominations.models import Nomination, Status

DESK = {"width": 1280, "height": 900}


def fill_template(path, rows, out):
    book = load_workbook(path)
    sheet = book.worksheets[0]
    columns = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for label, value in row.items():
            sheet.cell(row=number, column=columns[label], value=value)
    book.save(out)
    return str(out)


def test_template_upload_preview_create_then_copy_on_a_phone(gx, open_unit, log_in, tmp_path):
    page = log_in("nanning", viewport=DESK)
    page.click("text=从Excel批量导入")
    expect(page.locator("h1")).to_have_text("从Excel批量导入")
    with page.expect_download() as download:
        page.click("#batch-upload a:has-text('最美科技志愿者')")
    template = tmp_path / "template.xlsx"
    download.value.save_as(template)
    cat = category(gx, "volunteer")
    assert [c.value for c in load_workbook(template).worksheets[0][1]] == [
        spec.label for spec in cat.fields.all()
    ]

    rows = [as_typed(cat, {**valid_values("volunteer"), "name": n}) for n in ("甲", "乙", "丙")]
    rows[1]["出生年月"] = "七八年"
    page.select_option("#batch-category", "volunteer")
    page.set_input_files("#batch-workbook", fill_template(template, rows, tmp_path / "bad.xlsx"))
    page.click("#batch-upload button[type=submit]")
    preview = page.locator("#preview")
    expect(preview).to_contain_text("未导入任何一行")
    expect(preview.locator(".row-bad")).to_have_count(1)
    expect(preview.locator(".row-bad")).to_contain_text("第3行“出生年月”：应填写年月")
    expect(page.locator("button:has-text('份草稿')")).to_have_count(0)
    assert Nomination.objects.count() == 0

    rows[1]["出生年月"] = "1980-07"
    page.set_input_files("#batch-workbook", fill_template(template, rows, tmp_path / "good.xlsx"))
    page.click("#batch-upload button[type=submit]")
    expect(preview).to_contain_text("检查无误")
    expect(preview.locator(".row-good")).to_have_count(3)
    page.click("button:has-text('建立3份草稿')")
    expect(page.locator(".message.success")).to_contain_text("已从Excel导入3份")
    expect(page.locator("table.list tbody tr")).to_have_count(3)
    assert sorted(Nomination.objects.values_list("name", flat=True)) == ["丙", "乙", "甲"]

    phone = log_in("nanning")  # 375 px
    phone.click("text=从Excel批量导入")
    expect(phone.locator("#batch-upload")).to_be_visible()
    phone.go_back()
    phone.click("table.list a:has-text('乙')")
    phone.click("a:has-text('复制为新草稿')")
    expect(phone.locator("h1")).to_have_text("复制为新草稿")
    expect(phone.locator("input[name=target]")).to_have_count(1)
    phone.click("#copy button[type=submit]")
    expect(phone.locator(".message.success")).to_contain_text("已复制为新草稿")
    copied = Nomination.objects.exclude(name__in=["甲", "丙"]).order_by("-pk").first()
    assert copied.name == "乙" and copied.status == Status.DRAFT
    assert copied.values["birth"] == "1980-07"
    assert phone.url.endswith(f"/n/{copied.uid}/")
    assert Nomination.objects.filter(name="乙").count() == 2
