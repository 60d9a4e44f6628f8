"""Copying a nomination as a new draft: in its own campaign, or into another (next year's) that
the unit takes part in; same-key fields cleaned by the new category, photos within its bounds,
never the stamped PDF; the new draft's trail says where it came from."""

import copy
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.conftest import BEFORE_DEADLINE, GX_FILE, complete_nomination, make_member
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.campaigns.models import FieldSpec
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.nominations.trail import trail_of
from tuixuan.units.models import Participation


def next_year(unit):
    """gx-2024's file loaded again as gx-2025 (another key and year), the unit taking part; its
    volunteer form differs: 性别 offers other words, 主要服务项目 is gone, at most 2 photos."""
    rows = copy.deepcopy(GX_FILE.rows)
    rows.campaign.update(key="gx-2025", year=2025, title="2025年度科技志愿服务先进典型推荐")
    campaign = rows.write()
    Participation.objects.create(campaign=campaign, unit=unit)
    volunteer = campaign.categories.get(key="volunteer")
    FieldSpec.objects.filter(category=volunteer, key="gender").update(
        options={"choices": ["男性", "女性"]}
    )
    FieldSpec.objects.filter(category=volunteer, key="projects").delete()
    volunteer.photo_max = 2
    volunteer.save(update_fields=["photo_max"])
    return campaign


@pytest.fixture
def handed_in(gx, unit, member):
    """A submitted volunteer with three photos and a stamped PDF."""
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=3)
    services.attach_stamped_pdf(
        member, nomination, SimpleUploadedFile("盖章.pdf", pdf_bytes()), now=BEFORE_DEADLINE
    )
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    return nomination


def test_copy_within_the_campaign_makes_a_draft_with_the_values_and_photos_not_the_pdf(
    gx, member, handed_in
):
    copied = services.copy_nomination(member, handed_in, now=BEFORE_DEADLINE)
    draft = copied.nomination
    assert draft.pk != handed_in.pk
    assert draft.status == Status.DRAFT
    assert draft.campaign == gx and draft.category == handed_in.category
    assert draft.values == handed_in.values and draft.name == handed_in.name
    assert copied.left_out == []
    assert [p.sha256 for p in draft.photos.all()] == [p.sha256 for p in handed_in.photos.all()]
    assert {p.file.name for p in draft.photos.all()}.isdisjoint(
        {p.file.name for p in handed_in.photos.all()}
    )
    assert not draft.attachments.exists()
    event = AuditEvent.objects.get(nomination=draft, action="nomination.copy")
    assert event.data["copied_from"] == str(handed_in.uid)
    assert "复制自“李秀梅”" in trail_of(draft)[0].reason
    handed_in.refresh_from_db()
    assert handed_in.status == Status.SUBMITTED  # the original is untouched


def test_copy_into_next_years_campaign_lists_what_does_not_fit(gx, unit, member, handed_in):
    campaign = next_year(unit)
    copied = services.copy_nomination(member, handed_in, campaign=campaign, now=BEFORE_DEADLINE)
    draft = copied.nomination
    assert draft.campaign == campaign
    assert draft.category == campaign.categories.get(key="volunteer")
    assert draft.values["birth"] == "1978-06" and draft.name == "李秀梅"
    assert "gender" not in draft.values and "projects" not in draft.values
    assert draft.photos.count() == 2
    assert any(
        line.startswith("“性别”：应从以下选项中选择：男性、女性") for line in copied.left_out
    )
    assert "“主要服务项目”：新类别没有这一项。" in copied.left_out
    assert any("新类别最多2张照片" in line for line in copied.left_out)
    assert Nomination.objects.filter(campaign=gx).count() == 1


def test_copy_into_a_closed_campaign_or_by_another_unit_is_refused(
    gx, unit, member, other_unit, handed_in
):
    after = gx.deadline + timedelta(days=1)
    with pytest.raises(Refused, match="已过报送截止时间"):
        services.copy_nomination(member, handed_in, now=after)
    assert services.copy_targets(handed_in, now=after) == []
    with pytest.raises(PermissionDenied):
        services.copy_nomination(make_member(other_unit), handed_in, now=BEFORE_DEADLINE)
    assert Nomination.objects.count() == 1


def test_the_copy_page_offers_open_campaigns_and_copies(client, gx, unit, member, handed_in):
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    client.force_login(member)
    page = client.get(reverse("nominations:edit", args=[handed_in.uid])).content.decode()
    url = reverse("nominations:copy", args=[handed_in.uid])
    assert url in page and "复制为新草稿" in page
    form = client.get(url)
    assert form.status_code == 200
    assert 'value="gx-2024/volunteer"' in form.content.decode()
    response = client.post(url, {"target": "gx-2024/volunteer"})
    assert response.status_code == 302
    draft = Nomination.objects.exclude(pk=handed_in.pk).get()
    assert response.url == reverse("nominations:edit", args=[draft.uid])
    assert "已复制为新草稿" in client.get(response.url).content.decode()
    bad = client.post(url, {"target": "gx-1999/volunteer"})
    assert bad.status_code == 400
    assert Nomination.objects.count() == 2


def test_the_organiser_sees_no_copy_button_and_may_not_copy(client, organiser, handed_in):
    client.force_login(organiser)
    page = client.get(reverse("nominations:edit", args=[handed_in.uid])).content.decode()
    url = reverse("nominations:copy", args=[handed_in.uid])
    assert url not in page
    assert client.post(url, {"target": "gx-2024/volunteer"}).status_code == 403
    assert Nomination.objects.count() == 1
