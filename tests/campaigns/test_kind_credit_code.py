"""The 统一社会信用代码 kind (GB 32100-2015): cleaning, the form, the official form and Excel, and a
nomination saved with it through the unit's page and through the API."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.api.conftest import as_user, call
from tests.conftest import category, valid_values
from tests.nominations.formdata import post_data
from tuixuan.campaigns import kinds
from tuixuan.campaigns.kinds.credit_code import check_character
from tuixuan.campaigns.models import FieldSpec
from tuixuan.documents.docx import nomination_docx
from tuixuan.documents.rows import form_rows
from tuixuan.documents.xlsx import sheet_title, summary_workbook
from tuixuan.nominations.forms import NominationForm
from tuixuan.nominations.models import Nomination

VALID = ["91350100M000100Y43", "91110000600037341L", "91440300708461136T"]
LABEL = "统一社会信用代码"


def credit_code(category_=None) -> FieldSpec:
    spec = FieldSpec(key="credit_code", label=LABEL, kind="credit_code", required=False)
    if category_ is not None:
        spec.category, spec.order = category_, 99
        spec.save()
    return spec


def clean(raw):
    return kinds.clean_values([credit_code()], {"credit_code": raw})


@pytest.mark.parametrize("code", VALID)
def test_a_valid_code_is_kept_and_its_check_character_is_the_standards(code):
    assert clean(code) == ({"credit_code": code}, {})
    assert check_character(code[:17]) == code[17]


def test_a_code_typed_in_lower_case_with_spaces_or_full_width_is_cleaned():
    assert clean(" 9135 0100 m000 100y43 ")[0] == {"credit_code": "91350100M000100Y43"}
    assert clean("９１３５０１００Ｍ０００１００Ｙ４３")[0] == {"credit_code": "91350100M000100Y43"}


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("91350100M000100Y4", "应为18位数字或大写字母（不含I、O、Z、S、V）。"),
        ("91350100M000100Y433", "应为18位数字或大写字母（不含I、O、Z、S、V）。"),
        ("91350100MO00100Y43", "应为18位数字或大写字母（不含I、O、Z、S、V）。"),
        ("91350100M000100Y44", "校验位不正确，请核对是否抄错。"),
        ("91110000600037341M", "校验位不正确，请核对是否抄错。"),
    ],
)
def test_a_bad_code_is_refused_naming_the_field_and_the_rule(raw, why):
    assert clean(raw) == ({}, {"credit_code": f"“{LABEL}”：{why}"})


def test_the_form_draws_one_text_input_with_its_hint():
    html = str(NominationForm([credit_code()], initial={"credit_code": VALID[0]})["credit_code"])
    assert 'id="id_credit_code" name="credit_code" value="91350100M000100Y43"' in html
    assert 'placeholder="18位，如 91350100M000100Y43"' in html


@pytest.fixture
def organisations(gx):
    credit_code(category(gx, "organisation"))
    return category(gx, "organisation")


def test_a_unit_saves_the_code_through_its_page_and_a_bad_one_is_shown_as_typed(
    portal, gx, unit, organisations
):
    url = reverse("nominations:create", args=[gx.key, unit.code, "organisation"])
    values = {**valid_values("organisation"), "credit_code": "91350100M000100Y44"}
    response = portal.post(url, post_data(values, action="save"))
    assert response.status_code == 302  # saved as a draft, the code kept as typed
    page = portal.get(response.url).content.decode()
    assert f"“{LABEL}”：校验位不正确，请核对是否抄错。" in page
    assert 'value="91350100M000100Y44"' in page
    assert "credit_code" not in Nomination.objects.get().values
    values["credit_code"] = "91350100m000100y43"
    assert portal.post(response.url, post_data(values, action="save")).status_code == 302
    assert Nomination.objects.get().values["credit_code"] == "91350100M000100Y43"


def test_the_api_saves_the_code_and_refuses_a_bad_one_with_422(
    client, gx, unit, member, organisations
):
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    body = {"campaign": gx.key, "category": "organisation", "unit": unit.code}
    bad = {**body, "values": {**valid_values("organisation"), "credit_code": "9135"}}
    response = call(as_user(client, member), "post", "/nominations/", bad)
    assert response.status_code == 422
    assert response.json()["errors"]["credit_code"].startswith(f"“{LABEL}”：应为18位")
    good = {**body, "values": {**valid_values("organisation"), "credit_code": VALID[1]}}
    response = call(client, "post", "/nominations/", good)
    assert response.status_code == 201
    assert response.json()["values"]["credit_code"] == VALID[1]


def test_the_word_form_and_the_workbook_show_the_code_as_text(portal, gx, unit, organisations):
    url = reverse("nominations:create", args=[gx.key, unit.code, "organisation"])
    values = {**valid_values("organisation"), "credit_code": VALID[2]}
    portal.post(url, post_data(values, action="save"))
    nomination = Nomination.objects.get()
    row = next(row for row in form_rows(nomination) if row.key == "credit_code")
    assert (row.label, row.text) == (LABEL, VALID[2])
    assert VALID[2].encode() in _document_xml(nomination_docx(nomination))
    workbook = load_workbook(io.BytesIO(summary_workbook(gx, [nomination])))
    sheet = workbook[sheet_title(organisations.name)]
    header = [cell.value for cell in sheet[1]]
    cell = sheet.cell(row=2, column=header.index(LABEL) + 1)
    assert (cell.value, cell.data_type) == (VALID[2], "s")


def _document_xml(docx: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml")
