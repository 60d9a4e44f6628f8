"""People are reachable: each person keeps an e-mail address (and a mobile number) on their
个人信息 page; what happens to a unit's nominations reaches its people on the unit's page and, for
those with an address, by mail — both from the one place every transition goes through."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member, scored_by_an_expert
from tuixuan.nominations import services
from tuixuan.units.models import Notification, Profile

PROFILE = "/account/profile/"


def test_a_person_sets_their_email_and_mobile_on_the_profile_page(client, member):
    client.force_login(member)
    response = client.post(PROFILE, {"email": " li@nanning.example.cn ", "mobile": "13807710001"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "li@nanning.example.cn"
    assert Profile.objects.get(user=member).mobile == "13807710001"
    page = client.get(PROFILE).content.decode()
    assert "已保存个人信息" in page
    assert 'value="li@nanning.example.cn"' in page and 'value="13807710001"' in page
    # Both may be cleared again: the address is how mail reaches them, the mobile optional.
    assert client.post(PROFILE, {"email": "", "mobile": ""}).status_code == 302
    member.refresh_from_db()
    assert member.email == "" and Profile.objects.get(user=member).mobile == ""


@pytest.mark.parametrize(
    ("posted", "field", "words"),
    [
        ({"email": "li@", "mobile": ""}, "email", "“电子邮箱”：格式不正确"),
        ({"email": "li" * 130 + "@example.cn", "mobile": ""}, "email", "“电子邮箱”："),
        ({"email": "", "mobile": "1380771000"}, "mobile", "“手机号码”：应为以1开头的11位数字"),
        ({"email": "", "mobile": "0771-2863980"}, "mobile", "“手机号码”：应为以1开头的11位数字"),
        ({"email": "", "mobile": "23807710001"}, "mobile", "“手机号码”：应为以1开头的11位数字"),
    ],
)
def test_a_bad_address_or_mobile_is_refused_naming_the_field_and_nothing_changes(
    client, member, posted, field, words
):
    member.email = "old@nanning.example.cn"
    member.save()
    client.force_login(member)
    response = client.post(PROFILE, posted)
    assert response.status_code == 400
    page = response.content.decode()
    assert words in page
    assert f'id="error-{field}"' in page and 'aria-invalid="true"' in page
    member.refresh_from_db()
    assert member.email == "old@nanning.example.cn"
    assert not Profile.objects.filter(user=member).exclude(mobile="").exists()


def test_the_profile_page_asks_anonymous_visitors_to_log_in(client):
    response = client.get(PROFILE)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_header_links_every_signed_in_person_to_their_profile(client, organiser):
    client.force_login(organiser)
    page = client.get(reverse("nominations:home")).content.decode()
    assert f'href="{PROFILE}"' in page


def test_a_mobile_number_is_not_shown_on_the_unit_pages_of_a_colleague(client, gx, unit, member):
    """Personal data: another member of the same unit never sees it."""
    Profile.objects.create(user=member, mobile="13807710001")
    colleague = make_member(unit, "colleague")
    nomination = complete_nomination(member, gx, unit, "volunteer", phone="0771-2863980")
    client.force_login(colleague)
    for url in (
        reverse("nominations:campaign", args=[gx.key, unit.code]),
        reverse("nominations:edit", args=[nomination.uid]),
        PROFILE,
    ):
        assert "13807710001" not in client.get(url).content.decode()


@pytest.fixture
def people(unit, member, other_unit):
    """The unit's two clerks, one with an address and one without, and a clerk elsewhere."""
    member.email = "li@nanning.example.cn"
    member.save()
    return {
        "with_address": member,
        "without": make_member(unit, "no-address"),
        "elsewhere": make_member(other_unit, "elsewhere"),
    }


def notified(user):
    return [n.headline for n in Notification.objects.filter(user=user).order_by("event__pk")]


def test_return_acceptance_shortlist_and_result_reach_every_member_and_mail_those_with_address(
    gx, unit, organiser, people, mailoutbox, django_capture_on_commit_callbacks
):
    from datetime import date

    from tuixuan.review import services as review_services

    member = people["with_address"]
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_revision(organiser, nomination, reason="请补充证明材料")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(organiser, nomination)
        services.mark_reviewed(organiser, scored_by_an_expert(nomination))
        services.shortlist(organiser, nomination)
    review_services.announce(organiser, gx, [nomination], starts_on=date(2025, 4, 7))
    review_services.forward(organiser, [nomination], today=date(2025, 4, 14))
    with django_capture_on_commit_callbacks(execute=True):
        review_services.record_results(organiser, [nomination], [])

    told = [
        "“李秀梅”被组织方退回修改",
        "“李秀梅”已通过形式审查",
        "“李秀梅”已列入拟推荐名单",
        "“李秀梅”入选",
    ]
    assert notified(people["with_address"]) == told
    assert notified(people["without"]) == told
    assert notified(people["elsewhere"]) == []
    assert Notification.objects.filter(read_at__isnull=False).count() == 0
    # One mail per event, to the one address set; nobody else is written to.
    assert [m.to for m in mailoutbox] == [["li@nanning.example.cn"]] * 4
    assert [m.subject for m in mailoutbox] == [
        "【推选】“李秀梅”被退回修改",
        "【推选】“李秀梅”已通过形式审查",
        "【推选】“李秀梅”已列入拟推荐名单",
        "【推选】“李秀梅”入选",
    ]
    assert "退回理由：请补充证明材料" in mailoutbox[0].body


def test_an_address_set_on_the_profile_page_is_where_the_mail_goes(
    client, gx, unit, member, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(member)
    client.post(PROFILE, {"email": "jingbanren@nanning.example.cn", "mobile": ""})
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        services.accept(organiser, nomination)
    [mail] = mailoutbox
    assert mail.to == ["jingbanren@nanning.example.cn"]


def test_nobody_is_mailed_when_no_member_has_an_address_but_all_are_notified(
    gx, unit, member, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_revision(organiser, nomination, reason="请补充")
    assert mailoutbox == []
    assert notified(member) == ["“李秀梅”被组织方退回修改"]


def test_the_unit_page_shows_news_since_the_last_visit_once_and_the_header_counts_them(
    client, gx, unit, member, organiser
):
    nomination = complete_nomination(member, gx, unit, "project")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    services.accept(organiser, nomination)
    client.force_login(member)
    other_page = client.get(PROFILE).content.decode()
    assert "新消息 1" in other_page
    url = reverse("nominations:campaign", args=[gx.key, unit.code])
    page = client.get(url).content.decode()
    assert "自上次访问以来" in page
    assert "“柑橘黄龙病防控科技服务”已通过形式审查" in page
    assert reverse("nominations:edit", args=[nomination.uid]) in page
    assert Notification.objects.get(user=member).read_at is not None
    again = client.get(url).content.decode()
    assert "自上次访问以来" not in again and "新消息" not in again


def test_the_organiser_sees_how_to_reach_the_units_clerks_on_the_review_page(
    client, gx, unit, member, organiser
):
    member.email = "li@nanning.example.cn"
    member.save()
    Profile.objects.create(user=member, mobile="13807710001")
    make_member(unit, "no-details")
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    client.force_login(organiser)
    page = client.get(reverse("review:nomination", args=[nomination.uid])).content.decode()
    assert "推荐单位经办人：" in page
    assert 'href="mailto:li@nanning.example.cn"' in page and "13807710001" in page
    assert "no-details" in page


def test_the_header_counts_only_unread_news_even_on_the_page_that_reads_it(
    client, gx, unit, member, organiser
):
    first = complete_nomination(member, gx, unit, "project")
    second = complete_nomination(member, gx, unit, "volunteer")
    for nomination in (first, second):
        services.submit(member, nomination, now=BEFORE_DEADLINE)
        services.accept(organiser, nomination)
    client.force_login(member)
    assert "新消息 2" in client.get(PROFILE).content.decode()
    Notification.objects.filter(user=member, event__nomination=first).update(read_at=timezone.now())
    assert "新消息 1" in client.get(PROFILE).content.decode()
    url = reverse("nominations:campaign", args=[gx.key, unit.code])
    reading = client.get(url).content.decode()
    assert "自上次访问以来" in reading and "新消息" not in reading
