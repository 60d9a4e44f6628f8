"""The chain to the level above in one installation: gx-2024 names national-2024-example as its
parent (``parent``, ``parent_unit``), and its organiser forwards the nominations whose 公示 is
over with one action; they arrive above as the Guangxi CAST's, under the parent's rules."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, CHINA, complete_nomination, make_member, make_unit
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.campaigns.workdays import LAST_YEAR
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import Attachment, Nomination, Photo, Status
from tuixuan.review import services
from tuixuan.review.models import Assignment, Score
from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind, UnitKind

MONDAY = date(2025, 2, 24)  # the 公示 runs to Friday 28 February
AFTER_PUBLICITY = date(2025, 3, 3)
IN_TIME_ABOVE = datetime(2025, 3, 3, 10, 0, tzinfo=CHINA)  # national deadline: 15 March
LATE_ABOVE = datetime(2025, 3, 16, 10, 0, tzinfo=CHINA)


@pytest.fixture
def guangxi(national):
    """The Guangxi CAST as a recommending unit of the national campaign (gx-2024's parent_unit)."""
    unit = RecommendingUnit.objects.create(
        code="gx-cast", name="广西壮族自治区科学技术协会", kind=UnitKind.OTHER
    )
    Participation.objects.create(campaign=national, unit=unit)
    return unit


@pytest.fixture
def national_organiser(national):
    user = get_user_model().objects.create_user("quanguo", password="x")
    Role.objects.create(user=user, kind=RoleKind.ORGANISER, campaign=national)
    return user


def scored(nomination, *values_per_expert):
    """Experts of the campaign who scored ``nomination`` with these values, item by item."""
    items = list(nomination.category.rubric.all())
    for number, values in enumerate(values_per_expert, start=1):
        expert, _ = get_user_model().objects.get_or_create(username=f"expert-{number}")
        Role.objects.get_or_create(
            user=expert, kind=RoleKind.REVIEWER, campaign=nomination.campaign
        )
        assignment = Assignment.objects.create(
            nomination=nomination, reviewer=expert, scored_at=timezone.now()
        )
        Score.objects.bulk_create(
            Score(assignment=assignment, item=item, value=Decimal(value))
            for item, value in zip(items, values, strict=False)
        )
    return nomination


def announced(gx, organiser, member, unit, key="volunteer", *, scores=((20, 20, 20, 20),), **v):
    """A nomination through formal review, scoring and shortlist into a 公示 that ended."""
    nomination = complete_nomination(member, gx, unit, key, **v)
    stamped = SimpleUploadedFile("盖章.pdf", pdf_bytes(pages=2))
    nomination_services.attach_stamped_pdf(member, nomination, stamped, now=BEFORE_DEADLINE)
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    nomination_services.mark_reviewed(organiser, scored(nomination, *scores))
    nomination_services.shortlist(organiser, nomination)
    services.announce(organiser, gx, [nomination], starts_on=MONDAY)
    nomination.refresh_from_db()
    return nomination


def forward(organiser, gx, now=IN_TIME_ABOVE):
    return services.forward_to_parent(organiser, gx, today=AFTER_PUBLICITY, now=now)


def test_forwarded_nominations_arrive_above_as_the_units_with_values_files_and_history(
    gx, national, guangxi, organiser, member, unit
):
    below = announced(gx, organiser, member, unit, scores=[(20, 20, 20, 20), (10, 10, 10, 10)])
    [above] = forward(organiser, gx)

    below.refresh_from_db()
    assert below.status == Status.FORWARDED
    assert (above.campaign, above.unit, above.status) == (national, guangxi, Status.SUBMITTED)
    assert above.category.key == "volunteer" and above.category.campaign == national
    assert (above.name, above.values) == (below.name, below.values)
    assert above.forwarded_from == below and below.forwarded_as == above
    # Photos and the stamped PDF: the same contents, in files of its own.
    assert [p.sha256 for p in above.photos.all()] == [p.sha256 for p in below.photos.all()]
    assert {p.file.name for p in above.photos.all()}.isdisjoint(
        p.file.name for p in below.photos.all()
    )
    stamped_above = above.attachments.get()
    stamped_below = below.attachments.get()
    assert stamped_above.sha256 == stamped_below.sha256
    assert stamped_above.file.name != stamped_below.file.name
    # The scores below, kept as history: per expert and aggregated, no expert named.
    history = above.history
    assert (history["campaign"], history["unit"]) == ("gx-2024", "南宁市科学技术协会")
    assert [e["total"] for e in history["experts"]] == ["80.00", "40.00"]
    assert history["total"] == "60.00"
    assert "expert-1" not in str(history)
    assert above.assignments.count() == 0  # the parent's scoring starts from nothing
    # Audited on both sides.
    assert AuditEvent.objects.filter(
        action="review.forward_to_parent",
        nomination=below,
        data__parent_uid=str(above.uid),
    ).exists()
    assert AuditEvent.objects.filter(
        action="nomination.arrive", nomination=above, data__source_campaign="gx-2024"
    ).exists()


def test_the_parents_quota_refuses_the_whole_forwarding_naming_the_rule(
    gx, national, guangxi, organiser, member, unit
):
    """national-2024-example allows 2 a category; Guangxi's third is refused, and with it all."""
    other = make_unit(gx, "u2", "柳州市科学技术协会")
    other_member = make_member(other)
    third = make_unit(gx, "u3", "桂林市科学技术协会")
    third_member = make_member(third)
    chosen = [
        announced(gx, organiser, member, unit),
        announced(gx, organiser, other_member, other, name="王建华"),
        announced(gx, organiser, third_member, third, name="赵丽"),
    ]
    files_before = Photo.objects.count(), Attachment.objects.count()

    with pytest.raises(Refused) as refused:
        forward(organiser, gx)

    assert refused.value.rule_id == "G1"
    assert "每个单位不超过2个" in refused.value.message
    assert not national.nominations.exists()
    assert (Photo.objects.count(), Attachment.objects.count()) == files_before
    for nomination in chosen:
        nomination.refresh_from_db()
        assert nomination.status == Status.ANNOUNCED
    assert not AuditEvent.objects.filter(action="review.forward_to_parent").exists()


def test_after_the_parents_deadline_nothing_moves(gx, national, guangxi, organiser, member, unit):
    below = announced(gx, organiser, member, unit)
    with pytest.raises(Refused) as refused:
        forward(organiser, gx, now=LATE_ABOVE)
    assert refused.value.rule_id == "G2"
    assert "已过截止时间" in refused.value.message
    below.refresh_from_db()
    assert below.status == Status.ANNOUNCED and not national.nominations.exists()
    # An extension the national organiser grants Guangxi lets it through.
    Participation.objects.filter(campaign=national, unit=guangxi).update(
        extension_until=LATE_ABOVE + timedelta(days=1)
    )
    assert len(forward(organiser, gx, now=LATE_ABOVE)) == 1


def test_the_parents_rules_apply_at_arrival(gx, national, guangxi, organiser, member, unit):
    """A rule of the parent the nomination fails (here: the parent asks for 4 photos, Guangxi
    asked for 2) refuses the forwarding, citing the parent's rule."""
    below = announced(gx, organiser, member, unit)
    national.categories.filter(key="volunteer").update(photo_min=4)
    with pytest.raises(Refused) as refused:
        forward(organiser, gx)
    assert refused.value.rule_id == national.rule_id_for("photos") != ""
    assert "不符合活动“2024年度科技志愿服务先进典型推选宣传活动（示例）”" in refused.value.message
    below.refresh_from_db()
    assert below.status == Status.ANNOUNCED and not national.nominations.exists()


def test_forwarding_twice_is_refused_and_moves_nothing_more(
    gx, national, guangxi, organiser, member, unit
):
    announced(gx, organiser, member, unit)
    forward(organiser, gx)
    with pytest.raises(Refused, match="没有可推报至上级活动的推荐"):
        forward(organiser, gx)
    assert national.nominations.count() == 1


def test_a_nomination_already_forwarded_here_still_goes_up_once(
    gx, national, guangxi, organiser, member, unit
):
    """推报 by the ranking page's bulk action first, then to the parent: it arrives once."""
    below = announced(gx, organiser, member, unit)
    services.forward(organiser, [below], today=AFTER_PUBLICITY)
    [above] = forward(organiser, gx)
    assert above.forwarded_from == below


def test_the_child_sees_the_parents_decision(
    gx, national, guangxi, organiser, national_organiser, member, unit
):
    below = announced(gx, organiser, member, unit)
    [above] = forward(organiser, gx)
    nomination_services.return_for_revision(national_organiser, above, reason="请补充照片说明")
    below.refresh_from_db()
    assert below.forwarded_as.status == Status.RETURNED
    assert below.forwarded_as.get_status_display() == "退回修改"


def test_without_a_parent_unit_above_the_refusal_says_so(gx, national, organiser, member, unit):
    announced(gx, organiser, member, unit)
    with pytest.raises(Refused) as refused:
        forward(organiser, gx)
    assert refused.value.field == "parent_unit"
    assert "gx-cast" in refused.value.message
    assert not Nomination.objects.filter(campaign=national).exists()


def test_only_the_childs_organiser_may_forward(gx, national, guangxi, national_organiser, member):
    for someone_else in (national_organiser, member):
        with pytest.raises(PermissionDenied):
            services.forward_to_parent(someone_else, gx, today=AFTER_PUBLICITY)


def test_the_demo_seeds_the_chain_for_zuzhi_to_forward_and_quanguo_to_receive(gx, national):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("seed_demo", "--campaign", "gx-2024", "--chain", stdout=out)
    assert "quanguo" in out.getvalue() and "组织方可在工作台推报至上级活动" in out.getvalue()
    call_command("seed_demo", "--campaign", "gx-2024", "--chain", stdout=StringIO())  # once
    [ready] = services.ready_for_parent(gx)
    assert ready.status == Status.ANNOUNCED
    zuzhi = get_user_model().objects.get(username="zuzhi")
    [above] = services.forward_to_parent(zuzhi, gx)
    assert above.unit.code == "gx-cast" and above.history["experts"]
    quanguo = get_user_model().objects.get(username="quanguo")
    assert quanguo.has_perm("nominations.review", above)


def test_in_a_year_the_holiday_data_does_not_know_the_demo_types_its_end_date_and_says_so(
    gx, national
):
    """``make run`` seeds the chain whatever the date: when its 公示's working days cannot be
    counted, the demo fills in the end date as the refusal asks an organiser to, and says so."""
    from tuixuan.campaigns.models import Campaign
    from tuixuan.review.demo import seed_chain
    from tuixuan.review.models import Announcement
    from tuixuan.units.demo import create_demo

    year = LAST_YEAR + 1
    today = date(year, 3, 15)
    create_demo(gx)
    said = seed_chain(Campaign, campaign=gx, chain=True, today=today)
    assert f"{year}-02-22所在的{year}年不在节假日数据已知的年份" in said
    assert f"演示公示的截止日期已手动填写为{year}年3月7日" in said
    assert "组织方可在工作台推报至上级活动" in said
    announcement = Announcement.objects.get(campaign=gx)
    assert (announcement.starts_on, announcement.ends_on) == (date(year, 2, 22), date(year, 3, 7))
    zuzhi = get_user_model().objects.get(username="zuzhi")
    [above] = services.forward_to_parent(zuzhi, gx, today=today)
    assert above.unit.code == "gx-cast"


def test_the_office_button_forwards_and_a_refusal_is_a_400_that_changes_nothing(
    client, gx, national, guangxi, organiser, member, unit
):
    url = f"/office/c/{gx.key}/forward-to-parent/"
    client.force_login(organiser)
    refused = client.post(url)
    assert refused.status_code == 400
    assert "没有可推报至上级活动的推荐" in refused.content.decode()
    below = announced(gx, organiser, member, unit)
    Participation.objects.filter(campaign=national, unit=guangxi).update(
        extension_until=timezone.now() + timedelta(days=30)
    )
    assert "公示期满的推荐1个" in client.get(f"/office/c/{gx.key}/").content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert national.nominations.count() == 1
    page = client.get(f"/office/n/{below.uid}/").content.decode()
    assert 'id="status-above">已提交<' in page


def test_the_dashboard_shows_the_announcement_and_what_arrived_above_once_there_are_some(
    client, gx, national, guangxi, organiser, member, unit
):
    """The dashboard reads the 公示 links and the table of what arrived above only when its
    figures say there are some: before, neither is there; after, both are."""
    from django.urls import reverse

    from tuixuan.review.models import Announcement

    client.force_login(organiser)
    dashboard = f"/office/c/{gx.key}/"
    page = client.get(dashboard).content.decode()
    assert "公示页面" not in page and 'id="arrived-above"' not in page
    below = announced(gx, organiser, member, unit)
    Participation.objects.filter(campaign=national, unit=guangxi).update(
        extension_until=timezone.now() + timedelta(days=30)
    )
    announcement = Announcement.objects.get(campaign=gx)
    page = client.get(dashboard).content.decode()
    link = reverse("review:announcement", args=[announcement.pk])
    assert f'<a class="button" href="{link}">公示页面</a>' in page
    assert 'id="arrived-above"' not in page and "公示期满的推荐1个" in page
    assert client.post(f"/office/c/{gx.key}/forward-to-parent/").status_code == 302
    page = client.get(dashboard).content.decode()
    review = reverse("review:nomination", args=[below.uid])
    assert 'id="arrived-above"' in page and f'<a href="{review}">{below.name}</a>' in page
    assert '<span class="status status-submitted">已提交</span>' in page
    assert "暂无可推报的推荐" in page
