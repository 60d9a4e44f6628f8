"""The official form as Word and PDF: for the unit and the organiser, nobody else."""

import io

import pytest
from docx import Document

from tests.api.conftest import as_user, call, secret_for

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_member_downloads_the_word_form_with_a_token(client, draft, member):
    response = call(client, "get", f"/nominations/{draft.uid}/form.docx", token=secret_for(member))
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert "attachment;" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    text = "\n".join(
        cell.text
        for t in Document(io.BytesIO(response.content)).tables
        for row in t.rows
        for cell in row.cells
    )
    assert "李秀梅" in text


def test_organiser_downloads_the_pdf_form(client, submitted, organiser):
    response = call(as_user(client, organiser), "get", f"/nominations/{submitted.uid}/form.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("form", ["form.docx", "form.pdf"])
@pytest.mark.parametrize(("who", "status"), [("outsider", 404), ("judge", 404), ("anonymous", 401)])
def test_others_cannot_download_the_form(client, assignment, outsider, judge, form, who, status):
    """Not another unit, and not even the assigned expert (the form has contact details)."""
    if who != "anonymous":
        as_user(client, {"outsider": outsider, "judge": judge}[who])
    response = call(client, "get", f"/nominations/{assignment.nomination.uid}/{form}")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "李秀梅" not in response.content.decode()
