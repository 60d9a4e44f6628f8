"""A unit's clerk imports a filled Word 推荐表: upload → preview → 确认导入 → the draft, on a
desktop and on a phone. Set ``TUIXUAN_SCREENSHOTS`` to a folder to keep what the browser showed."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import category
from tests.e2e.conftest import PHONE
from tests.fixtures import word_forms
from tuixuan.nominations.models import Nomination

SCREENSHOTS = os.environ.get("TUIXUAN_SCREENSHOTS")
DESKTOP = {"width": 1280, "height": 900}
ROWS = [
    ("姓名", "李秀梅"),
    ("性别", "女"),
    ("出生年月", "1978年6月"),
    ("联系方式", "13807710001"),
    ("参加科技志愿服务活动次数", "120次"),
    ("主要事迹（不超过 1000 字）", "扎根乡村十余年，开展农技培训两百余场。"),
]


def shot(page, name, viewport):
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENSHOTS}/{name}-{viewport['width']}.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
def test_a_filled_word_form_becomes_a_draft_after_the_preview(
    log_in, gx, open_unit, tmp_path, viewport
):
    form = tmp_path / "推荐表.docx"
    form.write_bytes(
        word_forms.filled_blank_form(
            category(gx, "volunteer"),
            ROWS,
            [word_forms.photo(1), word_forms.photo(2, (300, 200))],
            extra_rows=[("籍贯", "广西南宁")],
        )
    )
    page = log_in("nanning", viewport)
    shot(page, "docx-campaign", viewport)
    page.click("text=从Word推荐表导入")
    shot(page, "docx-upload", viewport)
    page.set_input_files("#docx-file", str(form))
    page.click("button:has-text('读取并预览')")
    expect(page.locator("h1")).to_have_text("核对导入内容")
    expect(page.locator("tr[data-key=name] td").first).to_have_text("李秀梅")
    expect(page.locator("tr[data-key=activity_count] td").first).to_have_text("120")
    expect(page.locator(".unrecognised li")).to_have_text(["籍贯"])
    expect(page.locator(".previews figure img")).to_have_count(2)
    expect(page.locator(".previews figure.bad")).to_contain_text("不足 1M")
    shot(page, "docx-preview", viewport)
    assert not Nomination.objects.exists()

    page.click("button:has-text('确认导入')")
    expect(page.locator(".message.success")).to_contain_text("已从Word推荐表导入为草稿")
    expect(page.locator("[name=name]")).to_have_value("李秀梅")
    expect(page.locator(".photo img")).to_have_count(1)
    shot(page, "docx-draft", viewport)
    nomination = Nomination.objects.get()
    assert nomination.values["birth"] == "1978-06"
    assert nomination.values["activity_count"] == 120
