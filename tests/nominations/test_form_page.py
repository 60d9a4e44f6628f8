"""The nomination form's page drawn cheaply (issue 18) without showing anything out of date.

The blank form is drawn once per process and reused; the nomination's page reads each part of
the nomination once. Neither may show a stale field, photo count or stamped scan.
"""

from collections import Counter

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import category, complete_nomination, photo_upload
from tests.fixtures.pdfs import pdf_bytes
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
