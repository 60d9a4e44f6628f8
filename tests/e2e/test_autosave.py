"""Nothing typed is lost (issue 14): the form saves itself as the clerk types, an upload saves
the form first and shows its progress, leaving with a save unfinished asks first, and the Word
and PDF links say 正在生成… until the file has come."""

import re

from playwright.sync_api import expect

from tests.e2e.test_unit_portal import start
from tuixuan.nominations.models import Nomination

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 800}
SAVED = re.compile(r"^已保存 \d\d:\d\d$")


def held(page, pattern, method="POST"):
    """Requests to ``pattern`` wait in the returned list until the test lets them go, so the
    page's busy states can be looked at however fast this machine is. A request is in the list
    once ``page.expect_request`` has seen it and one more round trip to the browser is made
    (``arrived``): Playwright hands over a request, then its route, in that order."""
    waiting = []

    def hold(route):
        if route.request.method == method:
            waiting.append(route)
        else:
            route.continue_()

    page.route(pattern, hold)
    return waiting


def arrived(page, waiting):
    page.evaluate("1")
    return waiting.pop(0)


def posted_to(ending):
    return lambda request: request.method == "POST" and request.url.endswith(ending)


def test_edits_save_as_typed_survive_an_upload_and_a_reload_and_busy_states_show(
    logged_in, photo_files
):
    page = logged_in
    page.set_viewport_size(DESKTOP)
    start(page, "volunteer")
    state = page.locator(".autosave-state")

    # A new nomination saves itself, wrong field and all, and moves to its own page.
    page.fill("[name=name]", "李秀梅")
    page.fill("[name=activity_count]", "十二")
    expect(state).to_have_text(SAVED)
    expect(page).to_have_url(re.compile(r"/n/[0-9a-f-]+/$"))
    expect(page.locator("#error-activity_count")).to_have_text(
        "“参加科技志愿服务活动次数”：应填写数字。"
    )
    expect(page.locator("#id_activity_count")).to_have_attribute("aria-invalid", "true")
    nomination = Nomination.objects.get()
    assert nomination.typed_invalid == {"activity_count": "十二"}

    # On its page, a change is saved before the photos go; each photo shows its bytes sent,
    # and the button waits.
    page.click("#first-save a")  # “草稿已自动保存，可以上传照片和盖章扫描PDF”
    expect(page.locator("input[name=photos]")).to_be_attached()
    expect(page.locator("[name=activity_count]")).to_have_value("十二")
    uploads = held(page, "**/photos/")
    page.fill("[name=activity_count]", "15")
    page.set_input_files("input[name=photos]", photo_files(2))
    with page.expect_request(posted_to("/photos/")):
        page.click("#photos button[type=submit]")
    button = page.locator("#photos button[type=submit]")
    expect(button).to_be_disabled()
    progress = page.locator("#photos .upload-progress li")
    expect(progress.first).to_contain_text(re.compile(r"photo-0\.jpg：已上传\d\.\d\dMB/1\.50MB"))
    expect(progress.first.locator("progress")).to_be_visible()
    nomination.refresh_from_db()
    assert nomination.values["activity_count"] == 15 and nomination.typed_invalid == {}
    expect(page.locator("#error-activity_count")).to_have_count(0)
    with page.expect_request(posted_to("/photos/")):
        arrived(page, uploads).continue_()
    expect(progress.first).to_contain_text("photo-0.jpg：已上传")
    expect(progress.last).to_contain_text(re.compile(r"photo-1\.jpg：已上传\d\.\d\dMB/1\.50MB"))
    expect(button).to_be_disabled()
    arrived(page, uploads).continue_()
    expect(page.locator(".photo img")).to_have_count(2)
    page.unroute("**/photos/")
    page.reload()
    expect(page.locator("[name=activity_count]")).to_have_value("15")

    # Leaving while a save is on its way asks first.
    saves = held(page, re.compile(r"/n/[0-9a-f-]+/$"))
    with page.expect_request(posted_to(page.url.split("#")[0])):
        page.fill("[name=activity_count]", "16")
    expect(state).to_have_text("正在保存…")
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    with page.expect_event("dialog"):
        page.click(".crumbs a", no_wait_after=True)
    assert asked == ["beforeunload"]
    assert "/n/" in page.url
    arrived(page, saves).continue_()
    page.unroute(re.compile(r"/n/[0-9a-f-]+/$"))
    expect(state).to_have_text(SAVED)
    nomination.refresh_from_db()
    assert nomination.values["activity_count"] == 16

    # The Word form is made on request: the link says so, and a second click waits.
    made = held(page, "**/form.docx", method="GET")
    word = page.locator("a.generated").first
    with page.expect_request("**/form.docx"):
        word.click()
    expect(word).to_have_text("正在生成…")
    expect(word).to_have_attribute("aria-disabled", "true")
    word.click(force=True)  # a person clicking again, impatient
    request = arrived(page, made)
    with page.expect_download() as download:
        request.continue_()
    assert download.value.suggested_filename.endswith("李秀梅.docx")
    expect(word).to_have_text("WORD版")
    assert not made  # the second click asked for nothing

    # On a phone the saved time sits in the bar above its buttons, and nothing is cut off.
    page.set_viewport_size(PHONE)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    box = state.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
