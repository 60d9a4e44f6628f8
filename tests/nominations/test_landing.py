"""Where a signed-in person lands (/my/): one unit's clerk straight on its campaign page, anyone
who does more than that on the list of what they do."""

from django.urls import reverse

from tests.conftest import make_unit
from tuixuan.units.models import Participation, Role, RoleKind


def landing(client, user):
    client.force_login(user)
    return client.get(reverse("nominations:home"))


def campaign_url(campaign, unit):
    return reverse("nominations:campaign", args=[campaign.key, unit.code])


def test_a_clerk_of_one_unit_in_one_campaign_lands_on_its_page(client, gx, unit, member):
    response = landing(client, member)
    assert response.status_code == 302 and response.url == campaign_url(gx, unit)


def test_a_clerk_whose_unit_takes_part_in_two_campaigns_is_shown_both(
    client, gx, national, unit, member
):
    Participation.objects.create(campaign=national, unit=unit)
    response = landing(client, member)
    assert response.status_code == 200
    page = response.content.decode()
    assert campaign_url(gx, unit) in page and campaign_url(national, unit) in page


def test_a_clerk_of_two_units_is_shown_both(client, gx, unit, member):
    other = make_unit(gx, "gx-agri-society", "广西农学会")
    Role.objects.create(user=member, kind=RoleKind.UNIT_MEMBER, unit=other)
    response = landing(client, member)
    assert response.status_code == 200
    page = response.content.decode()
    assert campaign_url(gx, unit) in page and campaign_url(gx, other) in page


def test_a_clerk_who_also_reviews_or_organises_is_shown_everything(client, gx, unit, member):
    Role.objects.create(user=member, kind=RoleKind.REVIEWER, campaign=gx)
    page = landing(client, member).content.decode()
    assert campaign_url(gx, unit) in page and reverse("review:assignments") in page
    Role.objects.filter(user=member, kind=RoleKind.REVIEWER).update(kind=RoleKind.ORGANISER)
    page = landing(client, member).content.decode()
    assert campaign_url(gx, unit) in page and reverse("review:office", args=[gx.key]) in page


def test_a_unit_that_takes_part_in_nothing_is_told_so(client, gx, member):
    Participation.objects.filter(unit__roles__user=member).delete()
    response = landing(client, member)
    assert response.status_code == 200
    assert "尚未关联推荐单位" in response.content.decode()
