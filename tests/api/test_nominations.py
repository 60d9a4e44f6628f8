"""The caller's nominations over the API: the same services, rules and refusals as the pages.

Each endpoint is tried by the unit's own member, a member of another unit (404, nothing
changes), the campaign's organiser (may read, may not change) and an anonymous caller (401).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import as_user, call, secret_for
from tests.conftest import (
    BEFORE_DEADLINE,
    category,
    complete_nomination,
    make_member,
    make_unit,
    valid_values,
)
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.units.models import Role, RoleKind

pytestmark = pytest.mark.usefixtures("extended")


def new_body(key="volunteer", unit="nanning-cast", **values):
    return {"campaign": "gx-2024", "category": key, "unit": unit, "values": values}


# Listing ---------------------------------------------------------------------------------------


def test_anonymous_caller_is_refused_with_401_in_chinese(client, gx):
    response = call(client, "get", "/nominations/")
    assert response.status_code == 401
    assert "请先登录" in response.json()["message"]
    assert response["WWW-Authenticate"] == "Bearer"


def test_list_shows_only_the_callers_units_nominations(client, gx, unit, member, other_unit):
    own = complete_nomination(member, gx, unit, "volunteer", photos=0)
    outsider = complete_nomination(
        services_member(other_unit), gx, other_unit, "volunteer", photos=0
    )
    data = call(as_user(client, member), "get", "/nominations/").json()
    assert data["count"] == 1
    assert [item["uid"] for item in data["items"]] == [str(own.uid)]
    assert str(outsider.uid) not in str(data)


def services_member(unit):
    from tests.conftest import make_member

    return make_member(unit)


def test_organiser_has_no_unit_nominations_to_list(client, gx, unit, member, organiser):
    complete_nomination(member, gx, unit, "volunteer", photos=0)
    data = call(as_user(client, organiser), "get", "/nominations/").json()
    assert data == {"items": [], "count": 0}


def test_list_is_paginated_with_limit_and_offset(client, gx, unit, member):
    for n in range(3):
        complete_nomination(member, gx, unit, "project", photos=0, name=f"项目{n}")
    client = as_user(client, member)
    first = call(client, "get", "/nominations/?limit=2").json()
    rest = call(client, "get", "/nominations/?limit=2&offset=2").json()
    assert first["count"] == rest["count"] == 3
    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    names = [i["name"] for i in first["items"] + rest["items"]]
    assert sorted(names) == ["项目0", "项目1", "项目2"]


def test_list_filters_by_campaign_category_and_status(client, gx, unit, member):
    submitted = complete_nomination(member, gx, unit, "project")
    services.submit(member, submitted, now=BEFORE_DEADLINE)
    complete_nomination(member, gx, unit, "project", photos=0, name="另一个项目")
    complete_nomination(member, gx, unit, "volunteer", photos=0)
    client = as_user(client, member)

    def uids(query):
        response = call(client, "get", f"/nominations/?{query}")
        assert response.status_code == 200
        return {item["uid"] for item in response.json()["items"]}

    assert len(uids("campaign=gx-2024")) == 3
    assert len(uids("campaign=other-campaign")) == 0
    assert len(uids("category=project")) == 2
    assert uids("category=project&status=submitted") == {str(submitted.uid)}
    assert len(uids("status=draft")) == 2


def test_a_unit_list_row_is_the_nomination_as_its_own_answer_gives_it(client, gx, unit, member):
    """The list writes its rows out itself, not through ``NominationOut`` (issue 18): every
    field the same as the single answer, a draft's empty submission time and a time on the
    second included, the status label in the asker's language."""
    draft = complete_nomination(member, gx, unit, "volunteer", photos=0)
    on_the_second = draft.created_at.replace(microsecond=0)
    Nomination.objects.filter(pk=draft.pk).update(created_at=on_the_second)
    client = as_user(client, member)
    for language, label in (("zh-hans", "草稿"), ("en", "Draft")):
        headers = {"Accept-Language": language}
        [row] = call(client, "get", "/nominations/", headers=headers).json()["items"]
        one = call(client, "get", f"/nominations/{draft.uid}", headers=headers).json()
        assert row == one
        assert (row["status_label"], row["submitted_at"]) == (label, None)
        assert row["created_at"].endswith(on_the_second.strftime("%H:%M:%SZ"))


def test_a_unit_list_reads_the_values_as_the_single_answer_does(client, gx, unit, member):
    """The list decodes the values itself (orjson, issue 18): numbers past 64 bits stay whole
    numbers, floats and text come out as the JSONField gives them to the single answer."""
    draft = complete_nomination(member, gx, unit, "volunteer", photos=0)
    odd = {
        "big": 2**70,
        "negative": -(2**64) - 1,
        "id_number": "450103197806150012",
        "long_digits": "12345678901234567890",
        "floats": [0.1, 1e16, -0.0, 2.5e-08],
        "text": '引号"\\ 换行\n\t\u2028 😀',
        "nested": {"b": [1, {"c": None, "d": True}], "a": "壹"},
    }
    Nomination.objects.filter(pk=draft.pk).update(values=odd)
    client = as_user(client, member)
    [row] = call(client, "get", "/nominations/").json()["items"]
    one = call(client, "get", f"/nominations/{draft.uid}").json()
    assert row["values"] == one["values"] == odd
    assert isinstance(row["values"]["big"], int) and isinstance(row["values"]["negative"], int)


def test_a_member_of_two_units_lists_both_and_can_narrow_to_one(client, gx, unit, other_unit):
    """The caller's units are the list's own values, however many (a statement for each count
    of units, common/prepared.py): each unit's nominations, and only theirs."""
    member = make_member(unit)
    Role.objects.create(user=member, kind=RoleKind.UNIT_MEMBER, unit=other_unit)
    own = complete_nomination(member, gx, unit, "volunteer", photos=0)
    theirs = complete_nomination(member, gx, other_unit, "project", photos=0)
    third = make_unit(gx, code="third-unit", name="第三个单位")
    complete_nomination(make_member(third), gx, third, "project", photos=0)
    client = as_user(client, member)

    def uids(query=""):
        data = call(client, "get", f"/nominations/?{query}").json()
        assert data["count"] == len(data["items"])
        return {item["uid"] for item in data["items"]}

    assert uids() == {str(own.uid), str(theirs.uid)}
    assert uids(f"unit={other_unit.code}") == {str(theirs.uid)}
    assert uids(f"unit={unit.code}") == {str(own.uid)}


def test_list_with_an_unknown_status_is_422_naming_the_field(client, gx, member):
    response = call(as_user(client, member), "get", "/nominations/?status=lost")
    assert response.status_code == 422
    assert response.json()["field"] == "status"
    assert response.json()["errors"]["status"].startswith("“状态”：应为以下之一")


def test_list_takes_the_same_number_of_queries_for_one_row_or_many(client, gx, unit, member):
    client = as_user(client, member)
    complete_nomination(member, gx, unit, "volunteer", photos=0)
    with CaptureQueriesContext(connection) as one:
        assert call(client, "get", "/nominations/").json()["count"] == 1
    for n in range(5):
        complete_nomination(member, gx, unit, "project", photos=0, name=f"项目{n}")
    with CaptureQueriesContext(connection) as many:
        assert call(client, "get", "/nominations/").json()["count"] == 6
    assert len(many) == len(one)


# Creating --------------------------------------------------------------------------------------


def test_member_creates_a_draft_with_cleaned_values(client, gx, unit, member):
    body = new_body("organisation", **valid_values("organisation"))
    body["values"]["registered_volunteers"] = "１２０"  # full-width digits, as typed in Chinese
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["status_label"]) == ("draft", "草稿")
    assert (data["campaign"], data["category"], data["unit"]) == (
        "gx-2024",
        "organisation",
        "nanning-cast",
    )
    assert data["values"]["registered_volunteers"] == 120
    nomination = Nomination.objects.get(uid=data["uid"])
    assert nomination.name == "广西农学会科技志愿服务总队"
    assert AuditEvent.objects.filter(nomination=nomination, action="nomination.create").exists()


def test_a_service_points_name_goes_in_and_comes_back_as_its_five_levels(client, gx, member):
    name = {"province": "广西壮族自治区", "city": "南宁", "county": "武鸣区", "street": "城厢镇"}
    body = new_body("service-point", name={**name, "community": "平阳社区"})
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 201
    assert response.json()["values"]["name"] == {
        **name,
        "city": "南宁市",  # the 市 level's only word, added
        "community": "平阳社区",
    }
    assert Nomination.objects.get().name == "广西壮族自治区南宁市武鸣区城厢镇平阳社区"
    body = new_body("service-point", name={**name, "county": "武鸣"})  # 县 or 区: not guessed
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "name": "“服务点名称”：县（区）一级请写明是县、区、自治县还是市。"
    }
    assert Nomination.objects.count() == 1


def test_unanswered_choices_stay_unanswered_over_the_api(client, gx, member):
    """A yes/no left out (only the 大美志愿 number sent) and an empty single choice are stored
    unanswered, never as 否 or the first choice, and the report calls both empty."""
    body = new_body(name="李秀梅", gender="", registration={"number": "DMZY-2021-0088"})
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 201
    values = Nomination.objects.get().values
    assert values["registration"] == {"registered": None, "number": "DMZY-2021-0088"}
    assert "gender" not in values or values["gender"] in ("", None)
    uid = response.json()["uid"]
    report = call(as_user(client, member), "get", f"/nominations/{uid}/report").json()
    empty = {r["field"] for r in report["results"] if r["status"] == "fail"}
    assert {"registration", "gender"} <= empty


def test_a_value_of_the_wrong_kind_is_422_naming_the_field_in_chinese(client, gx, member):
    body = new_body("organisation", registered_volunteers="二十")
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 422
    data = response.json()
    assert data["field"] == "registered_volunteers"
    assert data["errors"]["registered_volunteers"] == "“注册科技志愿者人数”：应填写数字。"
    assert "“注册科技志愿者人数”：应填写数字。" in data["errors"].values()
    assert not Nomination.objects.exists()


def test_values_that_are_not_an_object_are_422_naming_the_field(client, gx, member):
    body = {**new_body(), "values": ["李秀梅"]}
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {"values": "“填报内容”：应为对象（键值对）。"}


def test_a_missing_category_is_422_naming_it(client, gx, member):
    body = new_body()
    del body["category"]
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {"category": "“类别”：必须填写。"}


def test_a_body_that_is_not_json_is_a_400_in_chinese_not_a_500(client, gx, member):
    response = as_user(client, member).post(
        "/api/v1/nominations/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "请求内容不是有效的JSON。"
    assert not Nomination.objects.exists()


def test_an_error_answers_in_the_language_the_script_asks_for(client, gx, member):
    """Chinese by default; English for ``Accept-Language: en`` (a script has no footer)."""
    token = secret_for(member)
    body = new_body("hero", values={"姓名": "张三"})
    chinese = call(client, "post", "/nominations/", body, token=token)
    english = call(client, "post", "/nominations/", body, token, {"Accept-Language": "en"})
    assert chinese["Content-Language"] == "zh-hans"
    assert chinese.json()["message"].startswith("该活动没有类别“hero”；可用的类别：volunteer")
    assert english["Content-Language"] == "en"
    assert "Accept-Language" in english["Vary"]  # no cache hands one language to the other
    assert english.json()["message"] == (
        "This campaign has no category “hero”; its categories are: "
        "volunteer, organisation, project, service-point."
    )
    missing = {"Accept-Language": "en-GB,en;q=0.9"}
    invalid = call(client, "post", "/nominations/", {"values": []}, token, missing).json()
    assert invalid["message"] == "The request has errors; correct them as shown."
    assert invalid["errors"]["campaign"] == "“Campaign”: Required."
    assert invalid["errors"]["values"] == "“Form values”: Must be an object (keys and values)."
    assert Nomination.objects.count() == 0


def test_unknown_category_is_422_naming_the_category_and_the_valid_keys(client, gx, member):
    response = call(as_user(client, member), "post", "/nominations/", new_body("hero"))
    assert response.status_code == 422
    assert response.json()["field"] == "category"
    assert response.json()["message"] == (
        "该活动没有类别“hero”；可用的类别：volunteer, organisation, project, service-point。"
    )


def test_creating_in_another_unit_is_refused_and_nothing_is_created(client, gx, other_unit, member):
    body = new_body(unit=other_unit.code, name="李秀梅")
    response = call(as_user(client, member), "post", "/nominations/", body)
    assert response.status_code == 403
    assert response.json()["message"] == "您没有权限进行此操作。"
    assert not Nomination.objects.exists()


def test_organiser_cannot_create_for_a_unit(client, gx, unit, organiser):
    response = call(as_user(client, organiser), "post", "/nominations/", new_body(name="李秀梅"))
    assert response.status_code == 403
    assert not Nomination.objects.exists()


def test_creating_after_the_deadline_without_an_extension_is_refused_with_g2(
    client, gx, unit, member
):
    unit.participations.update(extension_until=None)
    response = call(as_user(client, member), "post", "/nominations/", new_body(name="李秀梅"))
    assert response.status_code == 422
    assert response.json()["rule_id"] == "G2"
    assert "已过报送截止时间" in response.json()["message"]
    assert not Nomination.objects.exists()


# Reading ---------------------------------------------------------------------------------------


def test_member_reads_their_units_nomination_by_uid(client, draft, member):
    response = call(as_user(client, member), "get", f"/nominations/{draft.uid}")
    assert response.status_code == 200
    assert response.json()["values"]["name"] == "李秀梅"


def test_another_units_member_gets_404_for_a_nomination(client, draft, outsider):
    response = call(as_user(client, outsider), "get", f"/nominations/{draft.uid}")
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该推荐。"
    assert "李秀梅" not in response.content.decode()


def test_organiser_reads_a_units_nomination(client, draft, organiser):
    response = call(as_user(client, organiser), "get", f"/nominations/{draft.uid}")
    assert response.status_code == 200
    assert response.json()["uid"] == str(draft.uid)


def test_anonymous_caller_cannot_read_a_nomination(client, draft):
    response = call(client, "get", f"/nominations/{draft.uid}")
    assert response.status_code == 401
    assert "李秀梅" not in response.content.decode()


@pytest.mark.parametrize("uid", ["12", "not-a-uid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_or_malformed_uid_is_a_json_404(client, gx, member, uid):
    response = call(as_user(client, member), "get", f"/nominations/{uid}")
    assert response.status_code == 404
    assert response.json()["message"] == "没有找到该推荐。"


# Updating --------------------------------------------------------------------------------------


def test_put_replaces_the_values_of_a_draft(client, draft, member):
    values = {**valid_values("volunteer"), "name": "王小明"}
    del values["deeds"]
    response = call(as_user(client, member), "put", f"/nominations/{draft.uid}", {"values": values})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.name == "王小明"
    assert "deeds" not in draft.values


def test_patch_changes_only_the_fields_it_names(client, draft, member):
    body = {"values": {"activity_count": "150", "projects": None}}
    response = call(as_user(client, member), "patch", f"/nominations/{draft.uid}", body)
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.values["activity_count"] == 150
    assert "projects" not in draft.values
    assert draft.values["deeds"] == valid_values("volunteer")["deeds"]


def test_a_bad_value_in_an_update_changes_nothing(client, draft, member):
    before = dict(draft.values)
    body = {"values": {"activity_count": "很多"}}
    response = call(as_user(client, member), "patch", f"/nominations/{draft.uid}", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "activity_count": "“参加科技志愿服务活动次数”：应填写数字。"
    }
    draft.refresh_from_db()
    assert draft.values == before


@pytest.mark.parametrize("method", ["put", "patch"])
def test_another_units_member_cannot_update_and_nothing_changes(client, draft, outsider, method):
    before = dict(draft.values)
    body = {"values": {"name": "篡改"}}
    response = call(as_user(client, outsider), method, f"/nominations/{draft.uid}", body)
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.values == before


def test_organiser_may_read_but_not_update_a_units_draft(client, draft, organiser):
    body = {"values": {"name": "篡改"}}
    response = call(as_user(client, organiser), "patch", f"/nominations/{draft.uid}", body)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.values["name"] == "李秀梅"


def test_a_submitted_nomination_cannot_be_updated(client, draft, member):
    services.submit(member, draft, now=BEFORE_DEADLINE)
    body = {"values": {"name": "王小明"}}
    response = call(as_user(client, member), "patch", f"/nominations/{draft.uid}", body)
    assert response.status_code == 422
    assert response.json()["message"] == "当前状态为“已提交”，不能修改。"
    draft.refresh_from_db()
    assert draft.values["name"] == "李秀梅"


def test_a_returned_nomination_can_be_updated_again(client, draft, member, organiser):
    services.submit(member, draft, now=BEFORE_DEADLINE)
    services.return_for_revision(organiser, draft, reason="请补充事迹")
    body = {"values": {"activity_count": 130}}
    response = call(as_user(client, member), "patch", f"/nominations/{draft.uid}", body)
    assert response.status_code == 200
    assert response.json()["status"] == "returned"
    assert response.json()["values"]["activity_count"] == 130


# The rule report -------------------------------------------------------------------------------


def test_rule_report_lists_every_criterion_with_its_status(client, gx, unit, member):
    nomination = complete_nomination(
        member, gx, unit, "organisation", registered_volunteers=19, party_members=3
    )
    response = call(as_user(client, member), "get", f"/nominations/{nomination.uid}/report")
    assert response.status_code == 200
    report = response.json()
    assert report["passed"] is False and report["failures"] == 1
    [failure] = [r for r in report["results"] if r["status"] == "fail"]
    assert (failure["rule_id"], failure["field"], failure["status_label"]) == (
        "O2",
        "registered_volunteers",
        "不符合",
    )
    assert {"G1", "G2", "O5"} <= {r["rule_id"] for r in report["results"]}
    assert any(r["status"] == "manual" for r in report["results"])


def test_rule_report_of_another_unit_is_404(client, draft, outsider):
    response = call(as_user(client, outsider), "get", f"/nominations/{draft.uid}/report")
    assert response.status_code == 404


def test_organiser_reads_the_rule_report(client, draft, organiser):
    response = call(as_user(client, organiser), "get", f"/nominations/{draft.uid}/report")
    assert response.status_code == 200
    assert response.json()["passed"] is True


# Submitting ------------------------------------------------------------------------------------


def test_member_submits_a_complete_nomination(client, draft, member):
    response = call(as_user(client, member), "post", f"/nominations/{draft.uid}/submit")
    assert response.status_code == 200
    data = response.json()
    assert data["nomination"]["status"] == "submitted"
    assert data["nomination"]["submitted_at"]
    assert data["report"]["passed"] is True
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED
    event = AuditEvent.objects.get(nomination=draft, action="nomination.submit")
    assert event.actor == member


def test_submitting_with_19_volunteers_is_422_with_o2_and_the_whole_report(
    client, gx, unit, member
):
    nomination = complete_nomination(
        member, gx, unit, "organisation", registered_volunteers=19, party_members=3
    )
    response = call(as_user(client, member), "post", f"/nominations/{nomination.uid}/submit")
    assert response.status_code == 422
    data = response.json()
    assert data["rule_id"] == "O2"
    assert data["field"] == "registered_volunteers"
    assert "有1项不符合推荐条件，未能提交" in data["message"]
    assert [r["rule_id"] for r in data["report"]["results"] if r["status"] == "fail"] == ["O2"]
    assert len(data["report"]["results"]) > 10
    nomination.refresh_from_db()
    assert nomination.status == Status.DRAFT


def test_fourth_submission_in_a_category_is_refused_with_g1(client, gx, unit, member):
    for n in range(3):
        held = complete_nomination(member, gx, unit, "project", name=f"项目{n}")
        services.submit(member, held, now=BEFORE_DEADLINE)
    fourth = complete_nomination(member, gx, unit, "project", name="第四个项目")
    response = call(as_user(client, member), "post", f"/nominations/{fourth.uid}/submit")
    assert response.status_code == 422
    assert response.json()["rule_id"] == "G1"
    fourth.refresh_from_db()
    assert fourth.status == Status.DRAFT
    assert (
        Nomination.objects.filter(category=category(gx, "project"), status=Status.SUBMITTED).count()
        == 3
    )


def test_another_units_member_cannot_submit(client, draft, outsider):
    response = call(as_user(client, outsider), "post", f"/nominations/{draft.uid}/submit")
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_organiser_cannot_submit_for_a_unit(client, draft, organiser):
    response = call(as_user(client, organiser), "post", f"/nominations/{draft.uid}/submit")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_submitting_twice_is_refused_by_state(client, draft, member):
    client = as_user(client, member)
    assert call(client, "post", f"/nominations/{draft.uid}/submit").status_code == 200
    again = call(client, "post", f"/nominations/{draft.uid}/submit")
    assert again.status_code == 422
    assert again.json()["message"] == "当前状态为“已提交”，不能提交。"


# Withdrawing -----------------------------------------------------------------------------------


def test_member_withdraws_with_a_reason_and_the_place_is_freed(client, draft, member):
    services.submit(member, draft, now=BEFORE_DEADLINE)
    body = {"reason": "  候选人另有安排  "}
    response = call(as_user(client, member), "post", f"/nominations/{draft.uid}/withdraw", body)
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    event = AuditEvent.objects.get(nomination=draft, action="nomination.withdraw")
    assert (event.reason, event.from_state) == ("候选人另有安排", Status.SUBMITTED)


def test_withdraw_without_a_body_withdraws_with_no_reason(client, draft, member):
    response = call(as_user(client, member), "post", f"/nominations/{draft.uid}/withdraw")
    assert response.status_code == 200
    draft.refresh_from_db()
    assert draft.status == Status.WITHDRAWN


def test_withdraw_with_a_reason_that_is_not_text_is_422_naming_it(client, draft, member):
    body = {"reason": ["不是文字"]}
    response = call(as_user(client, member), "post", f"/nominations/{draft.uid}/withdraw", body)
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": "“理由”：应填写文字。"}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_another_units_member_cannot_withdraw(client, draft, outsider):
    body = {"reason": "恶意撤回"}
    response = call(as_user(client, outsider), "post", f"/nominations/{draft.uid}/withdraw", body)
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_organiser_cannot_withdraw_for_a_unit(client, draft, organiser):
    body = {"reason": "撤回"}
    response = call(as_user(client, organiser), "post", f"/nominations/{draft.uid}/withdraw", body)
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


# The browser's session keeps Django's CSRF protection ------------------------------------------


def test_a_session_write_without_a_csrf_token_is_refused(gx, member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    response = call(client, "post", "/nominations/", new_body(name="李秀梅"))
    assert response.status_code == 403
    assert "CSRF" in response.json()["message"]
    assert not Nomination.objects.exists()
