"""The public front door (``/``): campaigns with their deadline, the open 公示, the latest
exemplars and the way in; the signed-in person's 工作台 at ``/my/``; the campaign page's way in."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, complete_nomination, scored_by_an_expert
from tuixuan.nominations import services as nomination_services
from tuixuan.review import services as review_services
from tuixuan.showcase import services

WORKBENCH = "进入工作台"


@pytest.fixture(autouse=True)
def fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def shortlist(gx, unit, member, organiser, key):
    nomination = complete_nomination(member, gx, unit, key)
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    nomination_services.mark_reviewed(organiser, scored_by_an_expert(nomination))
    nomination_services.shortlist(organiser, nomination)
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def announcements(gx, unit, member, organiser, django_capture_on_commit_callbacks):
    """A 公示 that ended in 2025 (a project) and one open today (a volunteer, also published)."""
    with django_capture_on_commit_callbacks(execute=True):
        project = shortlist(gx, unit, member, organiser, "project")
        past = review_services.announce(
            organiser, gx, [project], starts_on=date(2025, 3, 3), title="往期拟推荐名单公示"
        )
        volunteer = shortlist(gx, unit, member, organiser, "volunteer")
        today = timezone.localdate()  # its end typed in: counting may be refused (year unknown)
        current = review_services.announce(
            organiser,
            gx,
            [volunteer],
            starts_on=today,
            ends_on=today + timedelta(days=14),
            title="本期拟推荐名单公示",
        )
        publication = services.publish(organiser, volunteer, reason="公示期间先行宣传")
    return past, current, publication


def test_the_front_door_shows_campaigns_the_open_announcement_exemplars_and_the_way_in(
    client, gx, announcements
):
    past, current, publication = announcements
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert gx.title in page and reverse("showcase:campaign", args=[gx.key]) in page
    assert "报送截止：2025年2月13日 23:59（北京时间）" in page and "已截止" in page
    assert reverse("review:announcement", args=[current.pk]) in page
    assert reverse("review:announcement", args=[past.pk]) not in page  # over
    assert reverse("showcase:exemplar", args=[publication.pk]) in page
    assert "推荐单位登录" in page and f"{reverse('login')}?next=/my/" in page
    assert WORKBENCH not in page
    assert "13807710001" not in page  # the candidate's phone: never on a public page


def test_the_workbench_link_is_only_on_a_signed_in_visitors_own_page(client, gx, member):
    client.force_login(member)
    mine = client.get("/")
    assert WORKBENCH in mine.content.decode() and "/my/" in mine.content.decode()
    assert "private" in mine["Cache-Control"] and "no-store" in mine["Cache-Control"]
    anonymous = client.__class__()
    first = anonymous.get("/")  # made for everyone and kept in the shared cache
    assert WORKBENCH not in first.content.decode() and "public" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    assert WORKBENCH in client.get("/").content.decode()  # never the cached copy
    assert WORKBENCH not in anonymous.get("/").content.decode()


def test_a_new_announcement_reaches_the_cached_front_door(
    client, gx, unit, member, organiser, django_capture_on_commit_callbacks
):
    nomination = shortlist(gx, unit, member, organiser, "volunteer")
    assert "正在公示" not in client.get("/").content.decode()  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        today = timezone.localdate()  # its end typed in: counting may be refused (year unknown)
        announcement = review_services.announce(
            organiser, gx, [nomination], starts_on=today, ends_on=today + timedelta(days=14)
        )
    page = client.get("/").content.decode()
    assert "正在公示" in page
    assert reverse("review:announcement", args=[announcement.pk]) in page


def test_the_workbench_moved_to_my_and_logging_in_lands_there(client, gx, member):
    member.set_password("a-long-test-password")
    member.save()
    assert reverse("nominations:home") == "/my/"
    refused = client.get("/my/")
    assert refused.status_code == 302 and refused.url == f"{reverse('login')}?next=/my/"
    login = {"username": member.username, "password": "a-long-test-password"}
    assert client.post(reverse("login"), login).url == "/my/"


def test_the_campaign_page_links_its_announcements_and_says_units_submit_online(
    client, gx, announcements
):
    past, current, _publication = announcements
    page = client.get(reverse("showcase:campaign", args=[gx.key])).content.decode()
    assert "在线填写推荐表" in page and "无需另行通过电子邮件报送" in page
    assert "报送至自治区科协组织宣传部" not in page  # the notice's e-mail procedure
    assert f"{reverse('login')}?next=/my/" in page and "推荐单位登录" in page
    assert reverse("review:announcement", args=[current.pk]) in page
    assert reverse("review:announcement", args=[past.pk]) in page
    assert "公示中，至" in page and "已于2025年3月7日结束" in page


def test_the_exemplar_list_links_the_open_announcement(client, announcements):
    _past, current, _publication = announcements
    page = client.get(reverse("showcase:exemplars")).content.decode()
    assert "正在公示" in page and reverse("review:announcement", args=[current.pk]) in page
