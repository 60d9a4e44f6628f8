"""Batch import and copying over the API: the same reader and services as the unit's pages."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import API, call, secret_for
from tests.conftest import category, valid_values
from tests.documents.test_batch import as_typed, filled
from tests.nominations.test_copy import next_year
from tuixuan.nominations.models import Nomination, Status

pytestmark = pytest.mark.usefixtures("extended")


def post_workbook(client, token, workbook, **fields):
    data = {"campaign": "gx-2024", "category": "volunteer", **fields, "file": workbook}
    return client.post(
        API + "/nominations/from-xlsx", data, headers={"Authorization": f"Bearer {token}"}
    )


def rows(gx, *names):
    cat = category(gx, "volunteer")
    return cat, [as_typed(cat, {**valid_values("volunteer"), "name": n}) for n in names]


def test_a_workbook_is_checked_then_saved_as_drafts(client, gx, member):
    token = secret_for(member)
    cat, typed = rows(gx, "李秀梅", "王建国", "覃小红")
    checked = post_workbook(client, token, filled(cat, typed))
    assert checked.status_code == 200
    body = checked.json()
    assert body["ok"] is True and body["created"] == []
    assert [row["row"] for row in body["rows"]] == [2, 3, 4]
    assert Nomination.objects.count() == 0
    saved = post_workbook(client, token, filled(cat, typed), save="true")
    assert saved.status_code == 201
    created = saved.json()["created"]
    assert [n["name"] for n in created] == ["李秀梅", "王建国", "覃小红"]
    assert {n["status"] for n in created} == {Status.DRAFT}
    assert Nomination.objects.count() == 3


def test_a_workbook_with_a_bad_row_saves_nothing(client, gx, member):
    token = secret_for(member)
    cat, typed = rows(gx, "李秀梅", "王建国")
    typed[1]["出生年月"] = "七八年"
    checked = post_workbook(client, token, filled(cat, typed))
    assert checked.status_code == 200
    assert checked.json()["ok"] is False
    assert checked.json()["rows"][1]["errors"] == ["第3行“出生年月”：应填写年月，如2021-03。"]
    refused = post_workbook(client, token, filled(cat, typed), save="true")
    assert refused.status_code == 422
    assert "第3行“出生年月”" in refused.json()["message"]
    assert Nomination.objects.count() == 0


def test_a_file_that_is_not_a_workbook_is_422(client, gx, member):
    response = post_workbook(
        client, secret_for(member), SimpleUploadedFile("a.csv", b"name\n1\n"), save="true"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "workbook"
    assert Nomination.objects.count() == 0


def test_copy_into_next_years_campaign_answers_201_with_the_draft(client, gx, unit, member, draft):
    campaign = next_year(unit)
    campaign.participations.update(extension_until=gx.participations.first().extension_until)
    response = call(
        client,
        "post",
        f"/nominations/{draft.uid}/copy",
        {"campaign": "gx-2025"},
        token=secret_for(member),
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["nomination"]["campaign"] == "gx-2025"
    assert body["nomination"]["status"] == Status.DRAFT
    assert body["nomination"]["values"]["birth"] == "1978-06"
    assert "“主要服务项目”：新类别没有这一项。" in body["left_out"]


def test_copy_within_the_campaign_needs_no_body_and_another_unit_gets_404(
    client, draft, member, outsider
):
    mine = call(client, "post", f"/nominations/{draft.uid}/copy", token=secret_for(member))
    assert mine.status_code == 201
    assert mine.json()["nomination"]["campaign"] == "gx-2024"
    theirs = call(client, "post", f"/nominations/{draft.uid}/copy", token=secret_for(outsider))
    assert theirs.status_code == 404
    assert Nomination.objects.count() == 2
