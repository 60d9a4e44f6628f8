"""The API fits a script (issue 14): it learns its unit from /me, fills a form from the campaign's
own examples, may name fields by their printed labels, and is told what it got wrong."""

import pytest

from tests.api.conftest import call, secret_for
from tuixuan.nominations.models import Nomination
from tuixuan.units.models import Role, RoleKind

pytestmark = pytest.mark.usefixtures("extended")


def test_a_script_learns_its_unit_and_fills_every_category_from_the_schemas_examples(
    client, gx, unit, member
):
    token = secret_for(member)
    me = call(client, "get", "/me", token=token).json()
    assert me["units"] == [{"code": unit.code, "name": unit.name}]
    assert me["roles"] == [
        {"kind": "unit_member", "kind_label": "推荐单位经办人", "campaign": None, "unit": unit.code}
    ]
    campaign = call(client, "get", "/campaigns/gx-2024").json()
    for category in campaign["categories"]:
        values = {field["key"]: field["example"] for field in category["fields"]}
        body = {"campaign": "gx-2024", "category": category["key"], "values": values}
        response = call(client, "post", "/nominations/", body, token=token)  # no unit: its only one
        assert response.status_code == 201, response.json()
        assert response.json()["unit"] == unit.code
        assert response.json()["values"] == values
    registration = next(
        field for field in campaign["categories"][0]["fields"] if field["kind"] == "registration"
    )
    assert registration["example"] == {"registered": True, "number": "GX2024001"}
    teams = [f for c in campaign["categories"] for f in c["fields"] if f["options"].get("items")]
    assert teams and all(isinstance(field["example"][0], dict) for field in teams)


def test_fields_may_be_named_by_their_printed_labels(client, gx, unit, member):
    token = secret_for(member)
    body = {
        "campaign": "gx-2024",
        "category": "volunteer",
        "values": {"姓名": "张三", "gender": "女"},
    }
    created = call(client, "post", "/nominations/", body, token=token)
    assert created.status_code == 201
    assert created.json()["values"] == {"name": "张三", "gender": "女"}
    uid = created.json()["uid"]
    patched = call(
        client,
        "patch",
        f"/nominations/{uid}",
        {"values": {"参加科技志愿服务活动次数": "12"}},
        token,
    )
    assert patched.json()["values"]["activity_count"] == 12
    twice = call(
        client, "patch", f"/nominations/{uid}", {"values": {"姓名": "李四", "name": "王五"}}, token
    )
    assert twice.status_code == 422
    assert twice.json()["field"] == "values.name"
    assert Nomination.objects.get().values["name"] == "张三"


def test_unknown_keys_are_refused_naming_them_and_nothing_is_created(client, gx, unit, member):
    token = secret_for(member)
    body = {"campaign": "gx-2024", "category": "volunteer", "values": {"名字": "张三", "age": 30}}
    response = call(client, "post", "/nominations/", body, token=token)
    assert response.status_code == 422
    answer = response.json()
    assert answer["field"] == "values"
    assert answer["message"].startswith(
        "“最美科技志愿者”没有这些字段：名字, age。可用的字段：name, "
    )
    assert set(answer["errors"]) == {"values.名字", "values.age"}
    assert Nomination.objects.count() == 0
    english = call(client, "post", "/nominations/", body, token, {"Accept-Language": "en"})
    assert english.json()["message"].startswith("“最美科技志愿者” has no fields named: 名字, age.")


def test_a_caller_of_several_units_is_asked_which_one(client, gx, unit, member, other_unit):
    Role.objects.create(user=member, kind=RoleKind.UNIT_MEMBER, unit=other_unit)
    token = secret_for(member)
    body = {"campaign": "gx-2024", "category": "volunteer", "values": {}}
    response = call(client, "post", "/nominations/", body, token=token)
    assert response.status_code == 422
    assert response.json()["field"] == "unit"
    message = response.json()["message"]
    assert message.startswith("您是多个推荐单位的经办人，请用 unit 指明其一：")
    assert unit.code in message and other_unit.code in message
    chosen = call(client, "post", "/nominations/", {**body, "unit": other_unit.code}, token)
    assert chosen.status_code == 201
    assert Nomination.objects.get().unit == other_unit
    assert len(call(client, "get", "/me", token=token).json()["units"]) == 2


def test_a_caller_of_no_unit_is_told_so(client, gx, organiser):
    body = {"campaign": "gx-2024", "category": "volunteer", "values": {}}
    response = call(client, "post", "/nominations/", body, token=secret_for(organiser))
    assert (response.status_code, response.json()["field"]) == (422, "unit")
    me = call(client, "get", "/me", token=secret_for(organiser, "第二个")).json()
    assert me["units"] == []
    assert me["roles"][0]["kind"] == "organiser" and me["roles"][0]["campaign"] == "gx-2024"
    assert call(client, "get", "/me").status_code == 401
