"""The unit's pages: every refusal, every transition, and no view into another unit's work."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import (
    BEFORE_DEADLINE,
    MB,
    category,
    complete_nomination,
    make_member,
    photo_upload,
    valid_values,
)
from tests.fixtures.pdfs import pdf_bytes
from tests.nominations.formdata import post_data
from tuixuan.campaigns.kinds import clean_value
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Photo, Status


@pytest.fixture
def extended(unit):
    """The live pages run at today's date, long after the 2025 deadline: grant an extension."""
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    return unit


@pytest.fixture
def portal(client, member, extended):
    client.force_login(member)
    return client


def campaign_url(gx, unit):
    return reverse("nominations:campaign", args=[gx.key, unit.code])


def edit_url(nomination):
    return reverse("nominations:edit", args=[nomination.uid])


def draft(member, gx, unit, key="volunteer", **changes):
    return complete_nomination(member, gx, unit, key, **changes)


# Campaign home ---------------------------------------------------------------------------------


def test_home_redirects_a_single_unit_member_to_their_campaign(portal, gx, unit):
    response = portal.get("/my/")
    assert response.status_code == 302
    assert response.url == campaign_url(gx, unit)


def test_campaign_home_shows_places_used_time_left_contacts_and_statuses(portal, gx, unit, member):
    submitted = draft(member, gx, unit, "project")
    services.submit(member, submitted, now=BEFORE_DEADLINE)
    draft(member, gx, unit, "volunteer")
    page = portal.get(campaign_url(gx, unit)).content.decode()
    assert '<span class="used">1</span>/3' in page  # project: one place used
    assert page.count('<span class="used">0</span>/3') == 3
    assert "2025年2月13日 23:59:59" in page and "剩余29天" in page
    assert "陈意明、何永格" in page and "0771-2863980" in page and "gxkxzb@126.com" in page
    assert "已提交" in page and "草稿" in page


def test_an_organiser_is_pointed_to_exports_and_the_back_office(client, gx, organiser):
    client.force_login(organiser)
    page = client.get("/my/").content.decode()
    assert "/admin/" in page and reverse("documents:exports", args=[gx.key]) in page
    assert "尚未关联推荐单位" not in page


# Creating and saving ---------------------------------------------------------------------------


def test_a_unit_creates_a_draft_from_the_generated_form(portal, gx, unit):
    url = reverse("nominations:create", args=[gx.key, unit.code, "service-point"])
    form = portal.get(url).content.decode()
    labels = [
        "服务点名称",
        "省（区、市）",
        "街道（乡镇）",
        "社区居民参与过志愿服务的比例",
        "经常开展的科技志愿服务活动类别",
        "组建的科技志愿服务队",
        "主要事迹（不超过1000字）",
    ]
    for label in labels:
        assert label in form
    response = portal.post(url, post_data(valid_values("service-point"), action="save"))
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response.url == edit_url(nomination)
    assert nomination.values == valid_values("service-point")
    assert nomination.name == "广西壮族自治区南宁市武鸣区城厢镇东风村"


def test_a_new_draft_with_a_bad_value_is_saved_with_it_as_typed_and_marked(portal, gx, unit):
    """Issue 14: one wrong field no longer refuses the whole new draft (it answered 400 and
    stayed on /new/, so photos and 检查 waited): the draft is saved, the wrong field kept as
    typed and shown with its error on the draft's page."""
    url = reverse("nominations:create", args=[gx.key, unit.code, "organisation"])
    values = {**valid_values("organisation"), "registered_volunteers": "二十人", "leader": "黄志强"}
    response = portal.post(url, post_data(values, action="save"))
    nomination = Nomination.objects.get()
    assert response.status_code == 302 and response.url == edit_url(nomination)
    assert nomination.typed_invalid == {"registered_volunteers": "二十人"}
    assert "registered_volunteers" not in nomination.values
    assert nomination.values["leader"] == "黄志强"
    page = portal.get(response.url).content.decode()
    assert "有1处填写有误，已按原样保存为草稿；修改后才能提交。" in page
    field = field_html(page, "registered_volunteers")
    assert 'value="二十人"' in field and 'aria-invalid="true"' in field
    assert "“注册科技志愿者人数”：应填写数字。" in field
    assert 'value="黄志强"' in page
    assert 'id="photos"' in page  # photos can be uploaded at once


def test_an_unanswered_registration_stays_unanswered_and_counts_as_empty(portal, gx, unit):
    """Neither 已注册 nor 未注册 chosen (only a number typed) is stored as unanswered, drawn
    again with neither chosen, and the check reports the field empty under the one rule for
    empty fields; the API's values are cleaned the same way (``kinds.clean_values``)."""
    url = reverse("nominations:create", args=[gx.key, unit.code, "volunteer"])
    data = post_data(valid_values("volunteer"), action="save")
    del data["registration__registered"]
    response = portal.post(url, data)
    nomination = Nomination.objects.get()
    assert nomination.values["registration"] == {"registered": None, "number": "DMZY-2021-0088"}
    page = portal.get(response.url).content.decode()
    assert 'value="是" checked' not in page and 'value="否" checked' not in page
    page = portal.post(response.url, {**data, "action": "check"}).content.decode()
    assert 'data-rule="G3" data-field="registration"' in page
    assert "““大美志愿”微信小程序注册情况”为必填项，尚未填写。" in page
    assert 'data-rule="V5"' not in page
    spec = category(gx, "volunteer").fields.get(key="registration")
    unanswered = {"registered": None, "number": "A1"}
    assert clean_value(spec, {"number": "A1"}) == unanswered
    assert clean_value(spec, {"registered": "", "number": "A1"}) == unanswered
    assert clean_value(spec, {"registered": None}) is None
    assert clean_value(spec, {"registered": "否"}) == {"registered": False, "number": ""}


def field_html(page, key):
    """The field's block on the nomination page, up to the next field."""
    start = page.index(f'id="field-{key}"')
    end = page.find('<div class="field ', start)
    return page[start : end if end > 0 else None]


def test_every_problem_is_listed_as_a_link_to_its_field_and_shown_on_the_field(
    portal, gx, unit, member
):
    url = reverse("nominations:create", args=[gx.key, unit.code, "organisation"])
    values = {**valid_values("organisation"), "registered_volunteers": "二十人"}
    values.pop("registration")
    saved = portal.post(url, post_data(values, action="save"))
    page = portal.get(saved.url).content.decode()
    summary = page[
        page.index('id="problems"') : page.index("</section>", page.index('id="problems"'))
    ]
    assert summary.count("<li>") == 1
    assert '<a href="#id_registered_volunteers">“注册科技志愿者人数”：应填写数字。</a>' in summary
    field = field_html(page, "registered_volunteers")
    assert 'aria-invalid="true" aria-describedby="error-registered_volunteers"' in field
    assert (
        '<div class="error" id="error-registered_volunteers"><p>“注册科技志愿者人数”：应填写数字。'
        in field
    )

    nomination = draft(member, gx, unit, "organisation", registered_volunteers=19, party_members=5)
    nomination.photos.first().delete()
    data = post_data(nomination.values, action="check")
    del data["registration__registered"]  # 是/否 unanswered: an empty field, G3 only
    page = portal.post(edit_url(nomination), data).content.decode()
    summary = page[
        page.index('id="problems"') : page.index("</section>", page.index('id="problems"'))
    ]
    links = [
        '<a href="#id_registered_volunteers"><span class="rule-name">注册人数（O2）</span> '
        "“注册科技志愿者人数”为19，应不低于20。</a>",
        '<a href="#id_registration"><span class="rule-name">必填项（G3）</span> '
        "““大美志愿”微信小程序注册情况”为必填项，尚未填写。</a>",
        '<a href="#photos"><span class="rule-name">照片（G6）</span> 照片应为2张，现有1张。</a>',
    ]
    assert [summary.index(link) for link in links] == sorted(summary.index(link) for link in links)
    assert summary.count("<li>") == 3
    group = field_html(page, "registration")
    assert 'role="group" id="id_registration" tabindex="-1"' in group
    assert 'aria-invalid="true" aria-describedby="error-registration"' in group
    assert '<span class="rule-name">注册人数（O2）</span>' in field_html(
        page, "registered_volunteers"
    )
    assert '<span class="rule-id">注册人数（O2）</span>' in page  # the full report, below the form
    photos = page[page.index('id="photos"') :]
    assert (
        '<div class="error" id="error-photos"><p><span class="rule-name">照片（G6）</span>'
        in photos
    )
    assert 'aria-invalid="true" aria-describedby="error-photos"' in photos


def test_a_160_percent_ratio_is_saved_as_typed_reported_by_check_and_refused_by_submit(
    portal, gx, unit, member
):
    """A draft saves whatever state it is in: the wrong field is kept as typed, 检查 lists it
    with its own error under the completeness rule, and only 提交 is refused, naming it."""
    nomination = draft(member, gx, unit, "service-point")
    values = {**nomination.values, "participation_ratio": "160"}
    response = portal.post(edit_url(nomination), post_data(values, action="save"))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.typed_invalid == {"participation_ratio": "160"}
    assert "participation_ratio" not in nomination.values

    page = portal.post(edit_url(nomination), post_data(values, action="check")).content.decode()
    ratio = field_html(page, "participation_ratio")
    assert 'value="160"' in ratio and 'aria-invalid="true"' in ratio
    assert 'data-rule="G3" data-field="participation_ratio"' in page
    assert "“社区居民参与过志愿服务的比例”：" in ratio
    assert page.count("“社区居民参与过志愿服务的比例”为必填项") == 0  # its own error, not “empty”

    response = portal.post(edit_url(nomination), post_data(values, action="submit"))
    assert response.status_code == 400
    refused = response.content.decode()
    assert "【G3】" in refused and "“社区居民参与过志愿服务的比例”：" in refused
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT

    fixed = {**values, "participation_ratio": "65"}
    response = portal.post(edit_url(nomination), post_data(fixed, action="submit"))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.SUBMITTED and nomination.typed_invalid == {}
    assert str(nomination.values["participation_ratio"]) == "65"


def test_an_auto_save_answers_when_it_saved_and_what_to_fix(portal, gx, unit, member):
    """The page's script saves as the clerk types: the same form post, asking for JSON."""
    url = reverse("nominations:create", args=[gx.key, unit.code, "volunteer"])
    values = {**valid_values("volunteer"), "activity_count": "十二"}
    response = portal.post(url, post_data(values), HTTP_ACCEPT="application/json")
    nomination = Nomination.objects.get()
    answer = response.json()
    assert response.status_code == 200 and answer["url"] == edit_url(nomination)
    assert answer["saved"] == "已保存 " + timezone.localtime(nomination.updated_at).strftime(
        "%H:%M"
    )
    assert answer["problems"] == [
        {"field": "activity_count", "message": "“参加科技志愿服务活动次数”：应填写数字。"}
    ]
    values["activity_count"] = "12"
    response = portal.post(answer["url"], post_data(values), HTTP_ACCEPT="application/json")
    assert response.json()["problems"] == [] and "url" not in response.json()
    nomination.refresh_from_db()
    assert nomination.values["activity_count"] == 12 and nomination.typed_invalid == {}
    services.submit(member, complete_nomination(member, gx, unit, "volunteer"))
    nomination.status = Status.SUBMITTED
    nomination.save()
    response = portal.post(edit_url(nomination), post_data(values), HTTP_ACCEPT="application/json")
    assert response.status_code == 400 and "不能修改" in response.json()["error"]


def test_check_shows_every_criterion_with_its_rule_id_without_submitting(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "organisation")
    values = {**nomination.values, "registered_volunteers": 19, "party_members": 5}
    response = portal.post(edit_url(nomination), post_data(values, action="check"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-rule="O2" data-field="registered_volunteers"' in page
    assert "“注册科技志愿者人数”为19，应不低于20。" in page
    assert 'data-rule="O4"' in page and "人工审核" in page
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT
    assert nomination.values["registered_volunteers"] == 19


def test_submit_with_a_19_volunteer_organisation_is_refused_with_o2(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "organisation")
    values = {**nomination.values, "registered_volunteers": 19, "party_members": 5}
    response = portal.post(edit_url(nomination), post_data(values, action="submit"))
    assert response.status_code == 400
    assert "【O2】有1项不符合推荐条件，未能提交。" in response.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT


def test_submit_with_a_1001_character_story_is_refused_with_g5(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer")
    values = {**nomination.values, "deeds": "科" * 1001}
    response = portal.post(edit_url(nomination), post_data(values, action="submit"))
    assert response.status_code == 400
    assert "【G5】" in response.content.decode()


def test_a_complete_nomination_is_submitted_and_listed(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer")
    response = portal.post(edit_url(nomination), post_data(nomination.values, action="submit"))
    assert response.status_code == 302 and response.url == campaign_url(gx, unit)
    nomination.refresh_from_db()
    assert nomination.status == Status.SUBMITTED
    page = portal.get(campaign_url(gx, unit)).content.decode()
    assert "“李秀梅”已提交。" in page
    assert '<span class="used">1</span>/3' in page


def test_the_fourth_submission_in_a_category_is_refused_with_g1(portal, gx, unit, member):
    for n in range(3):
        services.submit(
            member, draft(member, gx, unit, "project", name=f"项目{n}"), now=BEFORE_DEADLINE
        )
    fourth = draft(member, gx, unit, "project", name="第四个")
    response = portal.post(edit_url(fourth), post_data(fourth.values, action="submit"))
    assert response.status_code == 400
    assert "【G1】" in response.content.decode()
    assert '<span class="used">3</span>/3' in portal.get(campaign_url(gx, unit)).content.decode()


def test_a_submitted_nomination_is_read_only(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    page = portal.get(edit_url(nomination)).content.decode()
    assert "<fieldset disabled>" in page and 'value="submit"' not in page
    response = portal.post(edit_url(nomination), post_data(nomination.values, action="save"))
    assert response.status_code == 400
    assert "当前状态为“已提交”，不能修改。" in response.content.decode()


def test_withdrawing_frees_the_place(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "project")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    url = reverse("nominations:withdraw", args=[nomination.uid])
    response = portal.post(url, {"reason": "更换项目"})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == Status.WITHDRAWN
    assert '<span class="used">0</span>/3' in portal.get(campaign_url(gx, unit)).content.decode()


def test_after_the_deadline_without_an_extension_saving_is_refused_with_g2(
    client, gx, unit, member
):
    client.force_login(member)
    nomination = draft(member, gx, unit, "volunteer")
    response = client.post(edit_url(nomination), post_data(nomination.values, action="save"))
    assert response.status_code == 400
    assert (
        "【G2】已过报送截止时间，不能修改；如确需延期，请联系组织方。" in response.content.decode()
    )
    page = client.get(campaign_url(gx, unit)).content.decode()
    assert "已截止" in page and "新建推荐" not in page


def test_a_returned_nomination_shows_the_reason_and_can_be_fixed_and_resubmitted(
    client, gx, unit, member, organiser
):
    client.force_login(member)
    nomination = draft(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    services.return_for_revision(organiser, nomination, reason="请补充参加活动次数的证明")
    page = client.get(edit_url(nomination)).content.decode()
    assert "组织方退回修改" in page and "请补充参加活动次数的证明" in page
    values = {**nomination.values, "activity_count": 150}
    response = client.post(edit_url(nomination), post_data(values, action="submit"))
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert (nomination.status, nomination.values["activity_count"]) == (Status.SUBMITTED, 150)


# Photos and the stamped PDF --------------------------------------------------------------------


def test_a_900_kb_photo_is_refused_with_g6_and_the_form_is_untouched(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer", photos=1)
    url = reverse("nominations:upload_photos", args=[nomination.uid])
    response = portal.post(url, {"photos": photo_upload(size=900 * 1024, name="small.jpg")})
    assert response.status_code == 400
    assert "【G6】照片“small.jpg”为0.88MB，不足 1M（1,048,576 字节）。" in response.content.decode()
    assert nomination.photos.count() == 1


def test_the_pages_script_sends_uploads_one_by_one_and_is_answered_in_json(
    portal, gx, unit, member
):
    """autosave.js shows each photo's progress and its refusal where it was chosen; the page
    it then goes to tells what was uploaded. The plain form post is answered as before."""
    nomination = draft(member, gx, unit, "volunteer", photos=0)
    photos = reverse("nominations:upload_photos", args=[nomination.uid])
    good = portal.post(photos, {"photos": photo_upload(seed=1)}, HTTP_ACCEPT="application/json")
    assert good.status_code == 200 and good.json() == {"next": edit_url(nomination) + "#photos"}
    small = photo_upload(size=900 * 1024, name="small.jpg")
    bad = portal.post(photos, {"photos": small}, HTTP_ACCEPT="application/json")
    assert bad.status_code == 400
    assert bad.json() == {"error": "【G6】照片“small.jpg”为0.88MB，不足 1M（1,048,576 字节）。"}
    nothing = portal.post(photos, {}, HTTP_ACCEPT="application/json")
    assert nothing.status_code == 400 and "请选择要上传的照片。" in nothing.json()["error"]
    assert nomination.photos.count() == 1
    page = portal.get(edit_url(nomination)).content.decode()
    assert "已上传照片" in page and "small.jpg" not in page  # told once, where it happened

    pdf = reverse("nominations:upload_pdf", args=[nomination.uid])
    upload = SimpleUploadedFile("盖章.pdf", pdf_bytes())
    sent = portal.post(pdf, {"stamped_pdf": upload}, HTTP_ACCEPT="application/json")
    assert sent.json() == {"next": edit_url(nomination) + "#stamped-pdf"}


def test_good_photos_are_kept_while_a_bad_one_in_the_same_upload_is_refused(
    portal, gx, unit, member
):
    nomination = draft(member, gx, unit, "volunteer", photos=0)
    url = reverse("nominations:upload_photos", args=[nomination.uid])
    uploads = [photo_upload(seed=1, name="a.jpg"), photo_upload(size=4 * MB, name="big.jpg")]
    response = portal.post(url, {"photos": uploads})
    assert response.status_code == 400
    assert "照片“big.jpg”为4.00MB，超过 3M（3,145,728 字节）。" in response.content.decode()
    assert list(nomination.photos.values_list("original_name", flat=True)) == ["a.jpg"]


def test_a_photo_beyond_the_count_is_refused(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "organisation", photos=2)
    url = reverse("nominations:upload_photos", args=[nomination.uid])
    response = portal.post(url, {"photos": photo_upload(seed=7)})
    assert response.status_code == 400
    assert "【G6】照片最多2张，已有2张。" in response.content.decode()


def test_photos_are_reordered_removed_and_shown_only_to_their_unit(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer", photos=3)
    first, second, third = nomination.photos.all()
    portal.post(
        reverse("nominations:move_photo", args=[nomination.uid, third.pk]), {"direction": "up"}
    )
    assert list(nomination.photos.values_list("pk", flat=True)) == [first.pk, third.pk, second.pk]
    portal.post(reverse("nominations:delete_photo", args=[nomination.uid, first.pk]))
    assert list(nomination.photos.values_list("pk", flat=True)) == [third.pk, second.pk]
    image = portal.get(reverse("nominations:photo", args=[nomination.uid, third.pk]))
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content)[:2] == b"\xff\xd8"


def test_an_unknown_button_or_direction_is_refused_naming_it_and_changes_nothing(
    portal, gx, unit, member
):
    nomination = draft(member, gx, unit, "volunteer", photos=2)
    order = list(nomination.photos.values_list("pk", flat=True))
    moved = portal.post(
        reverse("nominations:move_photo", args=[nomination.uid, order[1]]),
        {"direction": "sideways"},
    )
    assert moved.status_code == 400
    assert "“移动方向”" in moved.content.decode()
    assert list(nomination.photos.values_list("pk", flat=True)) == order

    edited = portal.post(
        reverse("nominations:edit", args=[nomination.uid]),
        {"action": "publish", "name": "改过的名字"},
    )
    assert edited.status_code == 400
    assert "“操作”" in edited.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == "draft" and nomination.values.get("name") != "改过的名字"


def test_thumbnails_are_the_small_copies_and_link_to_the_original(portal, gx, unit, member):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from tests.fixtures.images import camera_jpeg

    nomination = draft(member, gx, unit, "volunteer", photos=1)
    original = camera_jpeg((1600, 1200))
    upload = SimpleUploadedFile("大图.jpg", original, "image/jpeg")
    photo = services.add_photo(member, nomination, upload, now=BEFORE_DEADLINE)
    url = reverse("nominations:photo", args=[nomination.uid, photo.pk])

    page = portal.get(edit_url(nomination)).content.decode()
    assert f'<a href="{url}"' in page and f'src="{url}?preview=1"' in page
    preview = portal.get(url, {"preview": "1"}).content
    with Image.open(io.BytesIO(preview)) as image:
        assert image.size == (1280, 960)
    assert len(preview) < len(original) / 2
    assert b"".join(portal.get(url).streaming_content) == original


def test_a_photo_whose_file_is_lost_is_a_clear_404_not_an_error(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer", photos=1)
    photo = nomination.photos.get()
    url = reverse("nominations:photo", args=[nomination.uid, photo.pk])
    photo.form_copy.storage.delete(photo.form_copy.name)
    preview = portal.get(url, {"preview": "1"})  # the copy is made again from the original
    assert preview.status_code == 200 and preview.content[:2] == b"\xff\xd8"
    photo.file.storage.delete(photo.file.name)
    for response in (portal.get(url), portal.get(url, {"preview": "1"})):
        assert response.status_code == 404
        assert "照片文件缺失" in response.content.decode()


def test_not_found_and_forbidden_pages_are_in_chinese(client):
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "没有找到该页面" in missing.content.decode()
    assert "Not Found" not in missing.content.decode()

    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.test import RequestFactory
    from django.views.defaults import permission_denied

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    refused = permission_denied(request, PermissionDenied("您没有权限进行此操作。"))
    assert refused.status_code == 403 and "您没有权限进行此操作。" in refused.content.decode()


def test_the_stamped_pdf_must_be_a_real_pdf(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer")
    url = reverse("nominations:upload_pdf", args=[nomination.uid])
    fake = SimpleUploadedFile("盖章.pdf", b"<html>not a pdf</html>")
    response = portal.post(url, {"stamped_pdf": fake})
    assert response.status_code == 400
    assert "【G3】文件不是 PDF 格式。" in response.content.decode()
    response = portal.post(url, {"stamped_pdf": SimpleUploadedFile("盖章.pdf", pdf_bytes())})
    assert response.status_code == 302
    download = portal.get(reverse("nominations:pdf", args=[nomination.uid]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


# Another unit's work stays invisible -----------------------------------------------------------


@pytest.fixture
def theirs(gx, other_unit):
    other_member = make_member(other_unit)
    nomination = complete_nomination(other_member, gx, other_unit, "volunteer", name="王其他")
    return nomination


def test_another_units_nomination_is_not_found_on_any_page(portal, theirs):
    photo = theirs.photos.first()
    gets = [
        edit_url(theirs),
        reverse("nominations:photo", args=[theirs.uid, photo.pk]),
        reverse("nominations:pdf", args=[theirs.uid]),
    ]
    for url in gets:
        response = portal.get(url)
        assert response.status_code == 404, url
        assert "王其他" not in response.content.decode()
    posts = [
        (edit_url(theirs), post_data(theirs.values, action="submit")),
        (reverse("nominations:withdraw", args=[theirs.uid]), {}),
        (reverse("nominations:upload_photos", args=[theirs.uid]), {"photos": photo_upload()}),
        (reverse("nominations:delete_photo", args=[theirs.uid, photo.pk]), {}),
        (reverse("nominations:move_photo", args=[theirs.uid, photo.pk]), {"direction": "up"}),
    ]
    for url, data in posts:
        assert portal.post(url, data).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.status == Status.DRAFT and theirs.photos.count() == 2
    assert Photo.objects.filter(nomination=theirs, pk=photo.pk).exists()


def test_another_units_campaign_page_and_list_are_not_reachable(portal, gx, other_unit, theirs):
    assert portal.get(campaign_url(gx, other_unit)).status_code == 404
    url = reverse("nominations:create", args=[gx.key, other_unit.code, "volunteer"])
    assert portal.get(url).status_code == 404
    assert portal.post(url, post_data(valid_values("volunteer"))).status_code == 404
    own_page = portal.get(campaign_url(gx, portal_unit_of(portal))).content.decode()
    assert "王其他" not in own_page


def portal_unit_of(client):
    from tuixuan.units.models import Role

    return Role.objects.get(user_id=client.session["_auth_user_id"]).unit


def test_anonymous_visitors_are_sent_to_log_in(client, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer")
    response = client.get(edit_url(nomination))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# Query counts ----------------------------------------------------------------------------------


def _queries(client, url):
    """The queries of ``url`` asked again: the first request of a process reads the campaign's
    configuration, which later ones find read (``campaigns.configuration``)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_unit_list_page_costs_the_same_queries_for_1_and_30_nominations(
    portal, gx, unit, member
):
    cat = category(gx, "volunteer")
    services.create_nomination(
        member, campaign=gx, category=cat, unit=unit, values={"name": "一"}, now=BEFORE_DEADLINE
    )
    one = _queries(portal, campaign_url(gx, unit))
    for n in range(29):
        services.create_nomination(
            member,
            campaign=gx,
            category=cat,
            unit=unit,
            values={"name": f"候选{n}"},
            now=BEFORE_DEADLINE,
        )
    assert Nomination.objects.count() == 30
    assert _queries(portal, campaign_url(gx, unit)) == one


def test_saving_the_form_reads_the_categorys_fields_once(portal, gx, unit, member):
    """The page builds its form from the fields; the save cleans with the same ones, not read
    again after the lock (a nomination's lock re-reads the nomination, not its category)."""
    nomination = draft(member, gx, unit, "volunteer")
    with CaptureQueriesContext(connection) as queries:
        response = portal.post(edit_url(nomination), post_data(nomination.values))
    assert response.status_code == 302
    reads = [q["sql"] for q in queries if 'FROM "campaigns_fieldspec"' in q["sql"]]
    assert len(reads) == 1, reads


def test_the_nomination_page_offers_its_word_and_pdf_forms(portal, gx, unit, member):
    nomination = draft(member, gx, unit, "volunteer")
    page = portal.get(edit_url(nomination)).content.decode()
    assert reverse("documents:form_docx", args=[nomination.uid]) in page
    assert reverse("documents:form_pdf", args=[nomination.uid]) in page


def _participation_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "units_participation"' in q["sql"]]


def test_saving_a_draft_reads_the_units_participation_once(portal, gx, unit, member):
    """The save locks the unit's participation (PostgreSQL) and checks its deadline: one read
    serves both (it read the row twice, issue 18)."""
    nomination = draft(member, gx, unit, "volunteer")
    with CaptureQueriesContext(connection) as queries:
        response = portal.post(edit_url(nomination), post_data(nomination.values))
    assert response.status_code == 302
    reads = _participation_reads(queries)
    assert len(reads) == 1, reads


def test_a_new_draft_reads_the_units_participation_once(portal, gx, unit):
    """The page finds the unit's participation; the service's "does the unit take part" and
    its deadline check use that row, not two more reads of it."""
    url = reverse("nominations:create", args=[gx.key, unit.code, "volunteer"])
    with CaptureQueriesContext(connection) as queries:
        response = portal.post(url, post_data(valid_values("volunteer")))
    assert response.status_code == 302
    assert Nomination.objects.filter(unit=unit).count() == 1
    reads = _participation_reads(queries)
    assert len(reads) == 1, reads


def test_a_new_draft_after_the_units_deadline_is_refused(portal, gx, unit):
    """The deadline read with the page's participation is the unit's own (its extension)."""
    unit.participations.update(extension_until=None)  # gx-2024 closed in 2025
    url = reverse("nominations:create", args=[gx.key, unit.code, "volunteer"])
    response = portal.post(url, post_data(valid_values("volunteer")))
    assert response.status_code == 400
    assert "已过报送截止时间" in response.content.decode()
    assert not Nomination.objects.filter(unit=unit).exists()


def test_checking_a_draft_reads_its_photos_once(portal, gx, unit, member):
    """检查 judges the saved draft and shows its page: the report and the page read the
    nomination's photos from one read (the report read them, then the page again)."""
    nomination = draft(member, gx, unit, "volunteer")
    with CaptureQueriesContext(connection) as queries:
        response = portal.post(edit_url(nomination), post_data(nomination.values, action="check"))
    assert response.status_code == 200
    photo_reads = [q["sql"] for q in queries if 'FROM "nominations_photo"' in q["sql"]]
    assert len(photo_reads) == 1, photo_reads
