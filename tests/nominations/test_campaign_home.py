"""The unit's campaign page: what it lists, the places it counts and what it puts first, all
from one reading of the unit's nominations (nominations/portal.py)."""

import re

from django.urls import reverse

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.nominations import services


def page_of(portal, gx, unit) -> str:
    return portal.get(reverse("nominations:campaign", args=[gx.key, unit.code])).content.decode()


def places_used(page, key) -> str:
    card = re.search(rf'data-category="{key}">.*?<span class="used">(\d+)</span>', page, re.S)
    return card.group(1)


def attention(page) -> str:
    found = re.search(r'<section class="card attention".*?</section>', page, re.S)
    return found.group(0) if found else ""


def test_a_nomination_returned_twice_comes_first_with_the_latest_reason(
    portal, gx, unit, member, organiser
):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    services.return_for_revision(organiser, nomination, reason="请补充服务时长证明")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    services.return_for_revision(organiser, nomination, reason="请重新上传盖章推荐表")
    banner = attention(page_of(portal, gx, unit))
    assert "1项推荐被组织方退回修改" in banner
    assert "退回理由：请重新上传盖章推荐表" in banner and "请补充服务时长证明" not in banner
    edit = reverse("nominations:edit", args=[nomination.uid])
    assert f'<a href="{edit}">{nomination.name}</a>' in banner


def test_nothing_is_put_first_when_nothing_was_returned(portal, gx, unit, member):
    complete_nomination(member, gx, unit, "volunteer")
    assert attention(page_of(portal, gx, unit)) == ""


def test_returned_nominations_keep_their_place_and_withdrawn_ones_free_it(
    portal, gx, unit, member, organiser
):
    returned = complete_nomination(member, gx, unit, "project")
    services.submit(member, returned, now=BEFORE_DEADLINE)
    services.return_for_revision(organiser, returned, reason="请补充证明材料")
    withdrawn = complete_nomination(member, gx, unit, "volunteer", name="李四")
    services.submit(member, withdrawn, now=BEFORE_DEADLINE)
    services.withdraw(member, withdrawn, now=BEFORE_DEADLINE)
    page = page_of(portal, gx, unit)
    assert places_used(page, "project") == "1"
    assert places_used(page, "volunteer") == "0"
    assert '<span class="status status-withdrawn">已撤回</span>' in page
    assert '<span class="status status-returned">退回修改</span>' in page


def test_each_listed_nomination_links_to_its_page_with_its_photos_and_no_pdf_yet(
    portal, gx, unit, member
):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=2)
    page = page_of(portal, gx, unit)
    row = re.search(r"<tbody>.*?</tbody>", page, re.S).group(0)
    assert f'<a href="{reverse("nominations:edit", args=[nomination.uid])}">' in row
    assert '<td data-label="照片">2</td>' in row
    assert '<td data-label="盖章PDF">未上传</td>' in row


def test_a_listed_name_is_shown_as_typed_with_its_beijing_time_and_a_nameless_draft_says_so(
    portal, gx, unit, member
):
    from datetime import UTC, datetime

    from tuixuan.nominations.models import Nomination

    typed = complete_nomination(member, gx, unit, "project")
    nameless = complete_nomination(member, gx, unit, "volunteer")
    # 16:30 on 11 February in UTC is 00:30 on 12 February in Beijing.
    Nomination.objects.filter(pk=typed.pk).update(
        name='<i>"乡村&科普"</i>', updated_at=datetime(2024, 2, 11, 16, 30, tzinfo=UTC)
    )
    Nomination.objects.filter(pk=nameless.pk).update(name="")
    rows = re.search(r"<tbody>.*?</tbody>", page_of(portal, gx, unit), re.S).group(0)
    assert "&lt;i&gt;&quot;乡村&amp;科普&quot;&lt;/i&gt;</a>" in rows and "<i>" not in rows
    assert '<td data-label="更新时间">2月12日 00:30</td>' in rows
    edit = reverse("nominations:edit", args=[nameless.uid])
    assert f'<a href="{edit}">（未填写名称）</a>' in rows
