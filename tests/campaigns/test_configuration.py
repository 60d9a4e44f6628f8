"""The campaign's configuration as a process last read it (``campaigns/configuration.py``).

The unit's pages no longer read the categories, fields and criteria on every request; these tests
say what must still hold: a change in the admin, in another process or by loading the campaign
file again shows on the very next page, and one campaign never shows another's.
"""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.conftest import CAMPAIGNS, category
from tests.test_admin import admin_url, change_form_data
from tuixuan.campaigns.loader import load_campaign_file
from tuixuan.campaigns.models import Campaign, Category, FieldSpec
from tuixuan.units.models import Participation

CONFIGURATION_TABLES = ("campaigns_category", "campaigns_fieldspec", "campaigns_criterion")


def new_form(campaign, unit, key="volunteer"):
    return reverse("nominations:create", args=[campaign.key, unit.code, key])


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_request_reads_no_category_field_or_criterion(portal, gx, unit):
    """What the change buys: the form's configuration is read once, not on every request."""
    page(portal, new_form(gx, unit))
    with CaptureQueriesContext(connection) as queries:
        page(portal, new_form(gx, unit))
    read = [q["sql"] for q in queries if any(t in q["sql"] for t in CONFIGURATION_TABLES)]
    assert read == []


def test_a_field_label_changed_in_the_admin_shows_on_the_next_request(
    portal, gx, unit, admin_client
):
    assert "出生年月" in page(portal, new_form(gx, unit))
    birth = FieldSpec.objects.get(category__campaign=gx, category__key="volunteer", key="birth")
    url = admin_url(FieldSpec, "change", birth.pk)
    data = change_form_data(admin_client.get(url))
    data["label"] = "出生年月（公历）"

    assert admin_client.post(url, data).status_code == 302

    assert "出生年月（公历）" in page(portal, new_form(gx, unit))


def test_a_category_renamed_in_the_admin_shows_on_the_next_request(portal, gx, unit, admin_client):
    home = reverse("nominations:campaign", args=[gx.key, unit.code])
    assert "最美科技志愿者" in page(portal, home)
    volunteer = category(gx, "volunteer")
    url = admin_url(Category, "change", volunteer.pk)
    data = change_form_data(admin_client.get(url))
    data["name"] = "最美科技志愿者（个人）"

    assert admin_client.post(url, data).status_code == 302

    assert "最美科技志愿者（个人）" in page(portal, home)


def test_a_change_written_by_another_process_shows_once_it_moves_the_revision_on(portal, gx, unit):
    """Another process (a worker, a second web process, a script) writes the rows with its own
    connection: this process learns of it only from the campaign's revision, read with the
    campaign's row on every page."""
    assert "出生年月" in page(portal, new_form(gx, unit))
    birth = FieldSpec.objects.get(category__campaign=gx, category__key="volunteer", key="birth")
    with connection.cursor() as cursor:  # no model, no signal: SQL as any other client sends it
        cursor.execute(
            "UPDATE campaigns_fieldspec SET label = %s WHERE id = %s", ["出生日期", birth.pk]
        )
        cursor.execute(
            "UPDATE campaigns_campaign SET revision = revision + 1 WHERE id = %s", [gx.pk]
        )

    assert "出生日期" in page(portal, new_form(gx, unit))


def test_loading_the_campaign_file_again_moves_the_revision_on_and_shows_its_change(
    portal, gx, unit, tmp_path
):
    assert "出生年月" in page(portal, new_form(gx, unit))
    before = Campaign.objects.get(pk=gx.pk).revision
    changed = tmp_path / "gx-2024.toml"
    text = (CAMPAIGNS / "gx-2024.toml").read_text(encoding="utf-8")
    changed.write_text(text.replace('label = "出生年月"', 'label = "出生年月（公历）"', 1))

    reloaded = load_campaign_file(changed)

    assert reloaded.pk == gx.pk
    assert reloaded.revision == Campaign.objects.get(pk=gx.pk).revision > before
    assert "出生年月（公历）" in page(portal, new_form(gx, unit))
    assert load_campaign_file(changed).revision == reloaded.revision + 1  # the same file again


def test_two_campaigns_never_show_each_others_configuration(portal, gx, national, unit):
    Participation.objects.create(
        campaign=national, unit=unit, extension_until=timezone.now() + timedelta(days=30)
    )
    gx_birth = FieldSpec.objects.get(category__campaign=gx, category__key="volunteer", key="birth")
    gx_birth.label = "出生年月（广西）"
    gx_birth.save()
    national_volunteer = category(national, "volunteer")
    national_volunteer.name = "全国最美科技志愿者"
    national_volunteer.save()

    for _ in range(2):  # read, then as this process keeps them
        gx_form, national_form = (
            page(portal, new_form(gx, unit)),
            page(portal, new_form(national, unit)),
        )
        assert "出生年月（广西）" in gx_form and "出生年月（广西）" not in national_form
        gx_home = page(portal, reverse("nominations:campaign", args=[gx.key, unit.code]))
        national_home = page(
            portal, reverse("nominations:campaign", args=[national.key, unit.code])
        )
        assert "全国最美科技志愿者" in national_home and "全国最美科技志愿者" not in gx_home
