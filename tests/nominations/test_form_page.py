"""The nomination form's page drawn cheaply (issue 18) without showing anything out of date.

The blank form is drawn once per process and reused; the nomination's page reads each part of
the nomination once. Neither may show a stale field, photo count or stamped scan.
"""

import re
from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import category, complete_nomination, photo_upload
from tests.fixtures.pdfs import pdf_bytes
from tests.nominations.formdata import post_data
from tuixuan.nominations import services


def new_form_url(gx, unit, key="volunteer"):
    return f"/c/{gx.key}/u/{unit.code}/new/{key}/"


def test_a_field_changed_in_the_admin_shows_on_the_next_blank_form(portal, gx, unit):
    url = new_form_url(gx, unit)
    assert "常用手机" not in portal.get(url).content.decode()  # the form is drawn and kept
    spec = category(gx, "volunteer").fields.get(key="phone")
    spec.label, spec.help_text = "常用手机", "填写本人常用的手机。"
    spec.save()

    page = portal.get(url).content.decode()

    assert '<label for="id_phone" class="label">常用手机<em class="req">*</em></label>' in page
    assert "填写本人常用的手机。" in page


def test_the_blank_forms_of_two_categories_are_each_their_own(portal, gx, unit):
    volunteer = portal.get(new_form_url(gx, unit, "volunteer")).content.decode()
    organisation = portal.get(new_form_url(gx, unit, "organisation")).content.decode()

    for key, page in [("volunteer", volunteer), ("organisation", organisation)]:
        for spec in category(gx, key).fields.all():
            assert f'id="field-{spec.key}"' in page
    assert volunteer.count('class="field ') == category(gx, "volunteer").fields.count()
    assert organisation.count('class="field ') == category(gx, "organisation").fields.count()


def _tables_read(client, url) -> Counter:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    read = Counter()
    for query in queries:
        sql = query["sql"]
        if sql.startswith("SELECT") and " FROM " in sql:
            read[sql.split(" FROM ", 1)[1].split()[0].strip('"')] += 1
    return read


def test_the_nomination_page_reads_its_fields_photos_scan_and_criteria_once(
    portal, gx, unit, member
):
    nomination = complete_nomination(member, gx, unit, "volunteer")

    read = _tables_read(portal, f"/n/{nomination.uid}/")

    for table in [
        "campaigns_fieldspec",
        "nominations_photo",
        "nominations_attachment",
        "campaigns_criterion",
        "units_participation",
    ]:
        assert read[table] == 1, (table, read)


def test_the_steps_follow_the_photos_and_scan_the_page_has_read(portal, gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    url = f"/n/{nomination.uid}/"
    page = portal.get(url).content.decode()
    assert 'data-step="photos" aria-current="step"' in page
    assert "尚未上传照片。" in page

    cat = category(gx, "volunteer")
    for seed in range(cat.photo_min):
        services.add_photo(member, nomination, photo_upload(seed=seed))
    services.attach_stamped_pdf(member, nomination, _pdf_upload())
    page = portal.get(url).content.decode()

    assert '<li class="step step-done" data-step="photos">' in page
    assert '<li class="step step-done" data-step="upload">' in page
    assert "已上传：" in page
    assert "尚未上传照片。" not in page


def _pdf_upload():
    return SimpleUploadedFile("stamped.pdf", pdf_bytes(), content_type="application/pdf")


# What one page draws is not carried to the next: the form's fields, the steps' words and the
# report's dates are made once per process and shared by every page (issue 18).


def test_a_field_marked_wrong_on_one_page_is_not_marked_on_the_next(portal, gx, unit, member):
    wrong = complete_nomination(member, gx, unit, "volunteer")
    services.update_nomination(member, wrong, {"phone": "abc"}, partial=True, keep_invalid=True)
    right = complete_nomination(member, gx, unit, "volunteer", name="王小明")

    marked = portal.get(f"/n/{wrong.uid}/").content.decode()
    page = portal.get(f"/n/{right.uid}/").content.decode()

    assert 'name="phone" value="abc" aria-invalid="true"' in marked
    assert "aria-invalid" not in page
    assert 'value="王小明"' in page and 'value="abc"' not in page


def test_a_form_drawn_as_posted_leaves_the_next_page_its_own_values(portal, gx, unit, member):
    posted = complete_nomination(member, gx, unit, "volunteer")
    other = complete_nomination(member, gx, unit, "volunteer", name="王小明")
    refused = post_data({**posted.values, "name": "刘一手"}, action="no-such-button")

    response = portal.post(f"/n/{posted.uid}/", refused)
    page = portal.get(f"/n/{other.uid}/").content.decode()

    assert response.status_code == 400 and 'value="刘一手"' in response.content.decode()
    assert 'value="王小明"' in page and "刘一手" not in page


def test_the_steps_and_the_reports_deadline_are_in_the_language_of_each_page(
    portal, gx, unit, member
):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    check = post_data(nomination.values, action="check")

    def page(language):
        portal.cookies["django_language"] = language
        return portal.post(f"/n/{nomination.uid}/", check).content.decode()

    def deadline(page):
        return page.split('class="result-message">截止时间为', 1)[1].split("</span>", 1)[0]

    chinese, english, chinese_again = page("zh-hans"), page("en"), page("zh-hans")

    assert "年" in deadline(chinese) and "（北京时间）" in deadline(chinese)
    assert deadline(chinese_again) == deadline(chinese)
    assert "(Beijing time)" in english and "截止时间为" not in english
    for label in ["填写", "下载打印盖章", "上传盖章件"]:
        assert f'<span class="step-label">{label}</span>' in chinese
        assert f'<span class="step-label">{label}</span>' not in english


def test_the_nomination_page_shows_its_photos_in_their_order_each_knowing_its_nomination(
    portal, gx, unit, member
):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    for seed, name in enumerate(["a.jpg", "b.jpg", "c.jpg"]):
        services.add_photo(member, nomination, photo_upload(seed=seed, name=name))
    last = nomination.photos.get(original_name="c.jpg")
    services.move_photo(member, last, offset=-1)

    page = portal.get(f"/n/{nomination.uid}/").content.decode()

    names = re.findall(r'<span class="muted">([abc]\.jpg) · ', page)
    assert names == ["a.jpg", "c.jpg", "b.jpg"]
    in_order = [nomination.photos.get(original_name=name).pk for name in names]
    links = re.findall(rf'<a href="/n/{nomination.uid}/photos/(\d+)/" target="_blank"', page)
    assert [int(pk) for pk in links] == in_order  # each photo's own address, of this nomination


def test_photos_read_for_the_page_know_their_nomination_and_filter_only_its_own(
    portal, gx, unit, member
):
    """What nominations/attached.py hands over behaves as Django's prefetch would: no query for
    a photo's nomination, and a further filter asks about this nomination's photos only."""
    from tuixuan.nominations.attached import read_photos_and_attachments

    nomination = complete_nomination(member, gx, unit, "volunteer", photos=0)
    for seed, name in enumerate(["a.jpg", "b.jpg", "c.jpg"]):
        services.add_photo(member, nomination, photo_upload(seed=seed, name=name))
    other = complete_nomination(member, gx, unit, "project", name="另一个项目", photos=0)
    services.add_photo(member, other, photo_upload(seed=9, name="b.jpg"))
    read_photos_and_attachments(nomination)
    with CaptureQueriesContext(connection) as queries:
        shown = nomination.photos.all()
        assert [photo.original_name for photo in shown] == ["a.jpg", "b.jpg", "c.jpg"]
        assert {photo.nomination.pk for photo in shown} == {nomination.pk}
    assert len(queries) == 0
    assert [p.nomination_id for p in shown.filter(original_name="b.jpg")] == [nomination.pk]
