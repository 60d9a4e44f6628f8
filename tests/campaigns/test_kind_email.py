"""The e-mail kind: what it accepts and corrects, what it refuses, how the form draws it, and a
volunteer's 联系邮箱 saved through the unit's page and the API and shown on the forms."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.api.conftest import as_user, call
from tests.conftest import category, valid_values
from tests.nominations.formdata import post_data
from tuixuan.campaigns import kinds
from tuixuan.campaigns.models import FieldSpec
from tuixuan.documents.rows import form_rows
from tuixuan.documents.xlsx import sheet_title, summary_workbook
from tuixuan.nominations.forms import NominationForm
from tuixuan.nominations.models import Nomination

REFUSAL = "“联系邮箱”：应填写电子邮箱地址，如 name@example.com。"


def email(saved_in=None) -> FieldSpec:
    spec = FieldSpec(key="email", label="联系邮箱", kind="email", required=False, personal=True)
    if saved_in is not None:
        spec.category, spec.order = saved_in, 99
        spec.save()
    return spec


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("li@example.com", "li@example.com"),
        (" Li.XiuMei＠NanNing.GOV.cn ", "Li.XiuMei@nanning.gov.cn"),
        ("li xiumei@example.com", "lixiumei@example.com"),
    ],
)
def test_an_address_is_kept_with_its_domain_in_lower_case(typed, kept):
    assert kinds.clean_values([email()], {"email": typed}) == ({"email": kept}, {})


@pytest.mark.parametrize("typed", ["li", "li@", "@example.com", "li@example", "li@@example.com"])
def test_a_bad_address_is_refused_naming_the_field(typed):
    assert kinds.clean_values([email()], {"email": typed}) == ({}, {"email": REFUSAL})


def test_the_form_draws_an_email_input():
    html = str(NominationForm([email()])["email"])
    assert 'type="email" inputmode="email" placeholder="如 name@example.com"' in html


def test_a_unit_and_a_script_save_the_address_and_the_forms_show_it(client, gx, unit, member):
    volunteers = category(gx, "volunteer")
    email(saved_in=volunteers)
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    client.force_login(member)
    url = reverse("nominations:create", args=[gx.key, unit.code, "volunteer"])
    values = {**valid_values("volunteer"), "email": "li＠"}
    response = client.post(url, post_data(values, action="save"))
    assert response.status_code == 302  # saved as a draft, the address kept as typed
    assert REFUSAL in client.get(response.url).content.decode()
    fixed = post_data({**values, "email": "Li@Example.com"})
    assert client.post(response.url, fixed).status_code == 302
    nomination = Nomination.objects.get()
    assert nomination.values["email"] == "Li@example.com"
    assert ("联系邮箱", "Li@example.com") in [(r.label, r.text) for r in form_rows(nomination)]
    sheet = load_workbook(io.BytesIO(summary_workbook(gx, [nomination])))[
        sheet_title("最美科技志愿者")
    ]
    assert "Li@example.com" in [cell.value for cell in sheet[2]]
    body = {"campaign": gx.key, "category": "volunteer", "unit": unit.code}
    body["values"] = {**valid_values("volunteer"), "email": "li@"}
    assert call(as_user(client, member), "post", "/nominations/", body).status_code == 422
    body["values"]["email"] = "wang@example.com"
    response = call(client, "post", "/nominations/", body)
    assert response.status_code == 201 and response.json()["values"]["email"] == "wang@example.com"
