"""A recommending unit's staff member, on a phone, nominating before the deadline."""

import re

from playwright.sync_api import expect

from tests.conftest import valid_values
from tests.e2e.keyboard import assert_focus_in_sight, tab_to, type_into_form
from tests.nominations.formdata import post_data
from tuixuan.nominations.models import Nomination, Status


def fill_form(page, values):
    """Type values into the generated form the way a person would, one control at a time."""
    for name, value in post_data(values).items():
        if isinstance(value, list):  # checkboxes
            for choice in value:
                page.check(f"input[name='{name}'][value='{choice}']")
            continue
        rows = re.match(r"^(\w+?)__(\d+)__", name)
        if rows:
            field, index = rows.group(1), int(rows.group(2))
            while page.locator(f"[name^='{field}__{index}__']").count() == 0:
                page.click(f"button.add-row[data-field='{field}']")
        control = page.locator(f"[name='{name}']")
        kind = control.first.get_attribute("type")
        if kind == "radio":
            page.check(f"input[name='{name}'][value='{value}']")
        elif control.first.evaluate("e => e.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


def start(page, category_key):
    page.click(f"[data-category='{category_key}'] a.button")
    page.wait_for_selector("form.nomination-form")


def save_draft(page):
    page.click("button[value=save]")
    page.wait_for_selector("#photos")


def upload(page, paths):
    page.set_input_files("input[name=photos]", paths)
    with page.expect_event("load"):  # the page shows the photos once they are all sent
        page.click("#photos button[type=submit]")


def nominate(page, key, photo_paths, **changes):
    start(page, key)
    fill_form(page, {**valid_values(key), **changes})
    save_draft(page)
    upload(page, photo_paths)
    expect(page.locator(".photo img")).to_have_count(len(photo_paths))
    page.click("button[value=submit]")


def used(page, key):
    return page.locator(f"[data-category='{key}'] .quota-count")


def test_a_unit_nominates_in_all_four_categories_then_fills_one_and_is_stopped_at_the_fourth(
    logged_in, photo_files
):
    page = logged_in
    photos = photo_files(3)
    for key in ("volunteer", "organisation", "project", "service-point"):
        count = 3 if key == "volunteer" else 2
        nominate(page, key, photos[:count])
        expect(page.locator(".message.success")).to_contain_text("已提交")
        expect(used(page, key)).to_have_text("1/3")

    for n in (2, 3):
        nominate(page, "project", photos[:2], name=f"科技助农项目{n}")
        expect(used(page, "project")).to_have_text(f"{n}/3")
    expect(page.locator("[data-category='project']")).to_have_class(re.compile("full"))

    nominate(page, "project", photos[:2], name="第四个项目")
    expect(page.locator(".message.error")).to_contain_text("【G1】")
    expect(page.locator(".result-fail[data-rule='G1']")).to_contain_text("名额已满")
    expect(page.locator("#status")).to_have_text("草稿")
    assert Nomination.objects.filter(status=Status.SUBMITTED).count() == 6


def test_by_keyboard_alone_a_clerk_fills_fixes_what_is_listed_and_submits(logged_in, photo_files):
    """Tab, type, Space and Enter only; focus never hides under the 保存草稿 bar; a failed save
    or submission moves focus to the list of problems, whose links lead to the fields."""
    page = logged_in
    tab_to(page, "[data-category='organisation'] a.button")
    page.keyboard.press("Enter")
    page.wait_for_selector("form.nomination-form")
    values = {**valid_values("organisation"), "registered_volunteers": "十九", "party_members": "5"}
    type_into_form(page, values)
    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    expect(page.locator("#problems")).to_be_focused()
    bad = page.locator("input[name=registered_volunteers]")
    expect(bad).to_have_attribute("aria-invalid", "true")
    expect(bad).to_have_attribute("aria-describedby", "error-registered_volunteers")
    expect(page.locator("#error-registered_volunteers")).to_have_text(
        "“注册科技志愿者人数”：应填写数字。"
    )
    page.keyboard.press("Tab")
    expect(page.locator("#problems a")).to_be_focused()
    page.keyboard.press("Enter")
    expect(bad).to_be_focused()
    assert_focus_in_sight(page)
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("19")
    tab_to(page, "button[value=save]")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("已保存草稿")
    page.wait_for_load_state()  # the page's scripts have placed the focus before tabbing on

    tab_to(page, "input[name=photos]")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(photo_files(2))
    tab_to(page, "#photos button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".photo img")).to_have_count(2)
    tab_to(page, "button[value=submit]", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".message.error")).to_contain_text("【O2】")
    expect(page.locator("#problems")).to_be_focused()
    expect(page.locator("#problems a[href='#id_registered_volunteers']")).to_have_text(
        "注册人数（O2） “注册科技志愿者人数”为19，应不低于20。"
    )
    expect(page.locator("#error-registered_volunteers")).to_contain_text("应不低于20")
    expect(page.locator(".result-fail[data-rule='O2']")).to_contain_text(
        "“注册科技志愿者人数”为19，应不低于20。"
    )
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+A")
    page.keyboard.insert_text("20")
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".message.success")).to_contain_text("已提交")
    assert Nomination.objects.get().status == Status.SUBMITTED


def test_a_1001_character_story_is_counted_live_and_refused_with_g5(logged_in, photo_files):
    page = logged_in
    start(page, "volunteer")
    fill_form(page, valid_values("volunteer"))
    story = page.locator("textarea[name=deeds]")
    story.fill("科技志愿服务" * 166 + "好好好 \n")  # 999 characters, whitespace not counted
    counter = page.locator("#field-deeds .counter")
    expect(counter).to_contain_text("已输入999字")
    story.press("End")
    story.type("好好")
    expect(counter).to_contain_text("已输入1001字")
    expect(counter).to_contain_text("超出1字")
    save_draft(page)
    upload(page, photo_files(2))
    page.click("button[value=submit]")
    expect(page.locator(".message.error")).to_contain_text("【G5】")
    expect(page.locator(".result-fail[data-rule='G5']")).to_contain_text("请删减1字")


def test_a_900_kb_photo_is_refused_with_g6_and_nothing_typed_is_lost(logged_in, photo_files):
    page = logged_in
    start(page, "volunteer")
    fill_form(page, valid_values("volunteer"))
    save_draft(page)
    small = photo_files(1, size=900 * 1024, prefix="small")
    page.set_input_files("input[name=photos]", small)
    expect(page.locator(".previews figure.bad")).to_contain_text("【G6】")
    page.click("#photos button[type=submit]")
    refused = page.locator("#photos .upload-progress .bad")  # told where it was chosen
    expect(refused).to_contain_text("【G6】照片“small-0.jpg”为0.88MB")
    expect(page.locator("#photos button[type=submit]")).to_be_enabled()
    expect(page.locator("input[name=name]")).to_have_value("李秀梅")
    expect(page.locator("textarea[name=deeds]")).to_have_value(valid_values("volunteer")["deeds"])
    assert Nomination.objects.get().photos.count() == 0


def test_the_form_fits_a_375_pixel_phone_screen_and_the_service_point_is_named_by_the_template(
    logged_in,
):
    """“___省（区、市）___市___县（区）___街道（乡镇）___社区（村）”: five boxes, each followed
    by its word (or a choice of words), the full name shown as it is typed, at 375 and 1280 px."""
    page = logged_in
    start(page, "service-point")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    preview = page.locator("#field-name output")
    typed = [
        ("province", "广西壮族", "自治区"),
        ("city", "南宁市", None),  # the 市 typed anyway: kept once
        ("county", "武鸣", "区"),
        ("street", "城厢", "镇"),
        ("community", "平阳", "社区"),
    ]
    for key, text, ending in typed:
        page.fill(f"[name=name__{key}]", text)
        if ending:
            page.select_option(f"[name=name__{key}__ending]", ending)
    expect(preview).to_have_text("广西壮族自治区南宁市武鸣区城厢镇平阳社区")
    page.fill("[name=name__city]", "南宁")  # the 市 is the box's own word
    expect(preview).to_have_text("广西壮族自治区南宁市武鸣区城厢镇平阳社区")
    for viewport in ({"width": 1280, "height": 900}, {"width": 375, "height": 800}):
        page.set_viewport_size(viewport)
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        for key, _text, _ending in typed:
            box = page.locator(f"[name=name__{key}]").bounding_box()
            assert box["width"] >= 80, (viewport, key)  # room for a name of four characters
    save_draft(page)
    assert Nomination.objects.get().name == "广西壮族自治区南宁市武鸣区城厢镇平阳社区"
    expect(page.locator("[name=name__city]")).to_have_value("南宁")
    expect(preview).to_have_text("广西壮族自治区南宁市武鸣区城厢镇平阳社区")
