"""The organiser's office: dashboard figures, the formal review queue, accept, return, flags."""

import pytest
from django.urls import reverse

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member, make_unit
from tuixuan.campaigns.checks import manual_criteria
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services
from tuixuan.nominations.models import Flag, FlagStatus, PastWinner, Status
from tuixuan.units.models import UnitKind


@pytest.fixture
def office(client, organiser):
    client.force_login(organiser)
    return client


@pytest.fixture
def submitted(gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination.refresh_from_db()
    return nomination


def all_ticks(nomination):
    return [str(c.pk) for c in manual_criteria(nomination)]


def test_the_dashboard_counts_by_category_status_and_unit(office, gx, unit, member, submitted):
    complete_nomination(member, gx, unit, "project")  # a draft
    make_unit(gx, "silent", "沉默市科协", UnitKind.CITY_CAST)
    page = office.get(reverse("review:office", args=[gx.key])).content.decode()
    assert '<tr data-category="volunteer"><td>最美科技志愿者</td><td>0</td><td>1</td>' in page
    assert '<tr data-category="project"><td>最佳科技志愿服务项目</td><td>1</td><td>0</td>' in page
    assert '<tr data-unit="nanning-cast"><td>南宁市科学技术协会</td><td>1</td><td>0</td>' in page
    assert '<div class="quota-count" id="missing-pdf">1</div>' in page
    assert '<div class="quota-count" id="silent-units">1</div>' in page and "沉默市科协" in page


def test_the_dashboard_counts_handed_in_nominations_without_their_stamped_pdf(
    office, gx, unit, member
):
    """Counted as those handed in less those with the PDF: a draft's PDF counts for nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.fixtures.pdfs import pdf_bytes

    def stamped():
        return SimpleUploadedFile("盖章.pdf", pdf_bytes(pages=1))

    with_pdf = complete_nomination(member, gx, unit, "volunteer")
    services.attach_stamped_pdf(member, with_pdf, stamped(), now=BEFORE_DEADLINE)
    services.submit(member, with_pdf, now=BEFORE_DEADLINE)
    without = complete_nomination(member, gx, unit, "project")
    services.submit(member, without, now=BEFORE_DEADLINE)
    draft = complete_nomination(member, gx, unit, "organisation")
    services.attach_stamped_pdf(member, draft, stamped(), now=BEFORE_DEADLINE)
    page = office.get(reverse("review:office", args=[gx.key])).content.decode()
    assert '<div class="quota-count" id="missing-pdf">1</div>' in page


def test_the_dashboard_tables_escape_a_unit_name_as_typed(office, gx):
    make_unit(gx, "odd", '<i>"某&学会"</i>', UnitKind.SOCIETY)
    page = office.get(reverse("review:office", args=[gx.key])).content.decode()
    typed = "&lt;i&gt;&quot;某&amp;学会&quot;&lt;/i&gt;"
    assert f'<tr data-unit="odd"><td>{typed}</td><td>0</td>' in page
    assert "<i>" not in page


def test_the_queue_lists_submitted_nominations_only(office, gx, unit, member, submitted):
    draft = complete_nomination(member, gx, unit, "project")
    page = office.get(reverse("review:queue", args=[gx.key])).content.decode()
    assert submitted.name in page and draft.name not in page


def test_a_queue_row_shows_category_name_linked_unit_and_beijing_time(office, gx, unit, submitted):
    from datetime import UTC, datetime

    from tuixuan.nominations.models import Nomination

    # 16:30 on 11 February in UTC is 00:30 on 12 February in Beijing.
    Nomination.objects.filter(pk=submitted.pk).update(
        submitted_at=datetime(2024, 2, 11, 16, 30, tzinfo=UTC)
    )
    url = reverse("review:queue", args=[gx.key])
    link = reverse("review:nomination", args=[submitted.uid])
    page = office.get(url).content.decode()
    assert '<td data-label="类别">最美科技志愿者</td>' in page
    assert f'<td data-label="名称"><a href="{link}">{submitted.name}</a></td>' in page
    assert f'<td data-label="推荐单位">{unit.name}</td>' in page
    assert '<td data-label="提交时间">2月12日 00:30</td>' in page
    office.cookies["django_language"] = "en"  # the footer's choice
    english = office.get(url).content.decode()
    assert '<td data-label="Submitted">Feb 12, 00:30</td>' in english


def test_queue_rows_in_one_minute_show_its_time_and_the_next_minute_its_own(
    office, gx, unit, member
):
    """Each minute's time is written once for the page (rows arrive in bursts): the seconds
    within a minute do not show, the next minute does, whichever row came first."""
    from datetime import UTC, datetime

    from tuixuan.nominations.models import Nomination

    moments = [(1, 59), (2, 0), (1, 0)]  # 09:01:59, 09:02:00 and 09:01:00 in Beijing
    for n, (minute, second) in enumerate(moments):
        nomination = complete_nomination(member, gx, unit, "project", name=f"项目{n}", photos=0)
        Nomination.objects.filter(pk=nomination.pk).update(
            status=Status.SUBMITTED,
            submitted_at=datetime(2024, 2, 12, 1, minute, second, tzinfo=UTC),
        )
    page = office.get(reverse("review:queue", args=[gx.key])).content.decode()
    times = [cell.split("<")[0] for cell in page.split('<td data-label="提交时间">')[1:]]
    assert times == ["2月12日 09:01", "2月12日 09:01", "2月12日 09:02"]


def test_the_queue_counts_the_category_chosen_only(office, gx, unit):
    from django.utils import timezone

    from tuixuan.nominations.models import Nomination

    def add(key, count, status=Status.SUBMITTED):
        category = gx.categories.get(key=key)
        Nomination.objects.bulk_create(
            Nomination(
                campaign=gx, category=category, unit=unit, status=status,
                name=f"{key}{n:05d}", submitted_at=timezone.now(),
            )
            for n in range(count)
        )  # fmt: skip

    add("project", 60)
    add("volunteer", 45)
    add("project", 7, Status.ACCEPTED)
    url = reverse("review:queue", args=[gx.key])
    assert "共3页（105个）" in office.get(url).content.decode()
    assert "共2页（60个）" in office.get(url, {"category": "project"}).content.decode()
    volunteers = office.get(url, {"category": "volunteer"}).content.decode()
    assert volunteers.count('<td data-label="名称">') == 45 and 'class="pager"' not in volunteers
    nowhere = office.get(url, {"category": "no-such-category"}).content.decode()
    assert "没有等待形式审查的推荐。" in nowhere


def test_a_queue_row_escapes_what_was_typed_and_an_empty_queue_says_so(office, gx, submitted):
    from tuixuan.nominations.models import Nomination

    url = reverse("review:queue", args=[gx.key])
    Nomination.objects.filter(pk=submitted.pk).update(name='<b>"张&李"</b>')
    page = office.get(url).content.decode()
    assert "&lt;b&gt;&quot;张&amp;李&quot;&lt;/b&gt;</a></td>" in page and "<b>" not in page
    Nomination.objects.filter(pk=submitted.pk).update(status=Status.ACCEPTED)
    page = office.get(url).content.decode()
    assert '<td colspan="4" class="muted">没有等待形式审查的推荐。</td>' in page


def test_the_review_page_shows_rules_checklist_contact_details_and_trail(office, submitted):
    page = office.get(reverse("review:nomination", args=[submitted.uid])).content.decode()
    assert 'data-rule="V3"' in page and "人工审核清单" in page
    assert "热爱祖国，拥护中国共产党领导" in page  # V1, a manual criterion
    assert "13807710001" in page  # the organiser sees contact details
    assert "（草稿 → 已提交）" in page  # the trail, read as a sentence


def test_the_trail_names_the_fields_each_editing_burst_changed(office, gx, unit, member):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    for count in (30, 31):  # two saves, one burst
        values = {**nomination.values, "activity_count": count}
        services.update_nomination(member, nomination, values, now=BEFORE_DEADLINE)
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    page = office.get(reverse("review:nomination", args=[nomination.uid])).content.decode()
    assert page.count("保存填报内容") == 1
    assert "（修改了：参加科技志愿服务活动次数）" in page


def test_accepting_needs_every_manual_criterion_ticked(office, submitted):
    url = reverse("review:accept", args=[submitted.uid])
    ticks = all_ticks(submitted)
    response = office.post(url, {"checked": ticks[:-1]})
    assert response.status_code == 400
    assert "人工审核清单尚有1项未勾选（V4）。" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    response = office.post(url, {"checked": ticks})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.ACCEPTED
    event = AuditEvent.objects.get(nomination=submitted, action="nomination.accept")
    assert event.data["checked"] == ["V1", "V2", "V3", "V4"]


def test_returning_needs_a_reason_which_the_unit_then_sees(office, client, member, submitted):
    url = reverse("review:return", args=[submitted.uid])
    response = office.post(url, {"reason": " "})
    assert response.status_code == 400
    assert "退回修改必须填写理由。" in response.content.decode()
    office.post(url, {"reason": "请补充服务项目的具体内容"})
    submitted.refresh_from_db()
    assert submitted.status == Status.RETURNED
    client.force_login(member)
    page = client.get(reverse("nominations:edit", args=[submitted.uid])).content.decode()
    assert "请补充服务项目的具体内容" in page


def past_winner_flagged(gx, unit, member):
    """A submitted nomination named like a past winner: flagged (G4), the flag undecided."""
    PastWinner.objects.create(name="李秀梅", normalised_name="李秀梅", year=2022)
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    return nomination


def test_a_past_winner_flag_must_be_decided_before_acceptance(office, gx, unit, member):
    nomination = past_winner_flagged(gx, unit, member)
    accept = reverse("review:accept", args=[nomination.uid])
    response = office.post(accept, {"checked": all_ticks(nomination)})
    assert response.status_code == 400
    assert "【G4】尚有待核实的往届入选标记，请先确认或排除。" in response.content.decode()
    flag = Flag.objects.get()
    decide = reverse("review:flag", args=[nomination.uid, flag.pk])
    assert office.post(decide, {"decision": "clear", "reason": ""}).status_code == 400
    office.post(decide, {"decision": "clear", "reason": "同名不同人：出生年月不同"})
    flag.refresh_from_db()
    assert flag.status == FlagStatus.CLEARED
    assert office.post(accept, {"checked": all_ticks(nomination)}).status_code == 302


def test_a_confirmed_past_winner_cannot_be_accepted(office, gx, unit, member):
    nomination = past_winner_flagged(gx, unit, member)
    flag = Flag.objects.get()
    decide = reverse("review:flag", args=[nomination.uid, flag.pk])
    office.post(decide, {"decision": "confirm", "reason": "2022年度已入选"})
    response = office.post(
        reverse("review:accept", args=[nomination.uid]), {"checked": all_ticks(nomination)}
    )
    assert response.status_code == 400
    assert "【G4】已确认曾入选往届典型，不能通过形式审查，请退回。" in response.content.decode()


def test_units_and_other_organisers_cannot_enter_the_office(
    client, gx, member, other_unit, submitted
):
    client.force_login(member)
    urls = [
        reverse("review:office", args=[gx.key]),
        reverse("review:queue", args=[gx.key]),
        reverse("review:nomination", args=[submitted.uid]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("review:accept", args=[submitted.uid]), {"checked": all_ticks(submitted)}
    )
    assert response.status_code == 404
    assert (
        client.post(reverse("review:return", args=[submitted.uid]), {"reason": "x"}).status_code
        == 404
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_the_queue_costs_the_same_queries_for_1_and_20_nominations(office, gx, unit, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        # Asked once unmeasured: the first request of a process reads the campaign's
        # configuration, which later ones find read (``campaigns.configuration``).
        assert office.get(reverse("review:queue", args=[gx.key])).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            assert office.get(reverse("review:queue", args=[gx.key])).status_code == 200
        return len(captured)

    units = [unit] + [make_unit(gx, f"u{n}", f"单位{n}") for n in range(6)]
    first = complete_nomination(member, gx, unit, "project")
    services.submit(member, first, now=BEFORE_DEADLINE)
    one = queries()
    for n in range(19):
        owner = units[1 + n % 6]
        person = owner.roles.first().user if owner.roles.exists() else make_member(owner)
        nomination = complete_nomination(person, gx, owner, "project", name=f"项目{n}", photos=0)
        nomination.status = Status.SUBMITTED
        nomination.save()
    assert queries() == one


def test_the_same_candidate_from_two_units_is_flagged_on_both_and_must_be_decided(
    office, gx, unit, member, other_unit
):
    theirs_member = make_member(other_unit)
    ours = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, ours, now=BEFORE_DEADLINE)
    twin = complete_nomination(theirs_member, gx, other_unit, "volunteer", name="李 秀梅")
    services.submit(theirs_member, twin, now=BEFORE_DEADLINE)
    flags = Flag.objects.filter(kind="duplicate")
    assert {(f.nomination_id, f.duplicate_of_id) for f in flags} == {
        (ours.pk, twin.pk),
        (twin.pk, ours.pk),
    }
    assert flags.get(nomination=ours).detail == "与广西农学会推荐的“李 秀梅”疑似为同一对象"
    response = office.post(reverse("review:accept", args=[ours.uid]), {"checked": all_ticks(ours)})
    assert "尚有待核实的重复推荐标记" in response.content.decode()


def test_a_draft_renamed_to_a_candidate_another_unit_handed_in_is_flagged(
    gx, unit, member, other_unit
):
    """The name compared is the one the draft has when it is handed in, not its first one."""
    theirs_member = make_member(other_unit)
    ours = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, ours, now=BEFORE_DEADLINE)
    twin = complete_nomination(theirs_member, gx, other_unit, "volunteer", name="王五")
    services.update_nomination(
        theirs_member, twin, {"name": "李 秀梅"}, partial=True, now=BEFORE_DEADLINE
    )
    services.submit(theirs_member, twin, now=BEFORE_DEADLINE)
    flags = Flag.objects.filter(kind="duplicate")
    assert {(f.nomination_id, f.duplicate_of_id) for f in flags} == {
        (ours.pk, twin.pk),
        (twin.pk, ours.pk),
    }


def test_a_namesake_with_another_birth_month_is_not_a_duplicate(gx, unit, member, other_unit):
    theirs_member = make_member(other_unit)
    ours = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, ours, now=BEFORE_DEADLINE)
    namesake = complete_nomination(theirs_member, gx, other_unit, "volunteer", birth="1990-01")
    services.submit(theirs_member, namesake, now=BEFORE_DEADLINE)
    assert not Flag.objects.filter(kind="duplicate").exists()


def test_the_dashboard_charts_submissions_per_day_up_to_the_deadline(office, gx, unit, member):
    from datetime import datetime

    from tests.conftest import CHINA

    # 00:30 on 12 February in Beijing is still 11 February in UTC: the chart counts Beijing days.
    moments = ((10, 23, "volunteer"), (10, 9, "project"), (12, 0, "organisation"))
    for day, hour, key in moments:
        nomination = complete_nomination(member, gx, unit, key)
        services.submit(member, nomination, now=datetime(2025, 2, day, hour, 30, tzinfo=CHINA))
    page = office.get(reverse("review:office", args=[gx.key])).content.decode()
    assert "2月10日至2月13日，共提交3个" in page
    assert "<title>2月10日：2个</title>" in page and "<title>2月11日：0个</title>" in page
    assert "<title>2月12日：1个</title>" in page
    # Each day is labelled under its bar, its count above it, and the numbers are in a table too.
    assert '<text class="day" x="30.0" y="174" text-anchor="middle">2月10日</text>' in page
    assert '<text class="count" x="30.0"' in page and ">2</text>" in page
    assert "<tr><td>2月10日</td><td>2</td></tr><tr><td>2月12日</td><td>1</td></tr>" in page


def test_the_chart_is_written_in_the_language_of_the_request(office, gx, unit, member):
    """The bars and the table are written in Python (review/dashboard.py), not by the
    template: their tooltips and dates are in English for an English reader too."""
    from datetime import datetime

    from tests.conftest import CHINA

    for day, key in ((10, "volunteer"), (12, "project")):
        nomination = complete_nomination(member, gx, unit, key)
        services.submit(member, nomination, now=datetime(2025, 2, day, 9, 30, tzinfo=CHINA))
    office.cookies["django_language"] = "en"
    page = office.get(reverse("review:office", args=[gx.key])).content.decode()
    assert "<title>Feb 10: 1</title>" in page and "<title>Feb 11: 0</title>" in page
    assert '<text class="day" x="30.0" y="174" text-anchor="middle">Feb 10</text>' in page
    assert "<tr><td>Feb 10</td><td>1</td></tr><tr><td>Feb 12</td><td>1</td></tr>" in page
    assert "个" not in page.split('id="daily"')[1].split("</figure>")[0]


def test_submissions_all_on_one_day_make_one_bar_not_a_block(office, gx, unit, member):
    """Defect fixed: one day's bar was drawn across the whole chart, a solid block."""
    from datetime import datetime

    from tests.conftest import CHINA

    for key in ("volunteer", "project", "organisation"):
        nomination = complete_nomination(member, gx, unit, key)
        services.submit(member, nomination, now=datetime(2025, 2, 13, 10, tzinfo=CHINA))
    page = office.get(reverse("review:office", args=[gx.key])).content.decode()
    assert "2月13日至2月13日，共提交3个" in page
    assert page.count("<rect ") == 1
    # 48 wide, centred in a chart of 120 (a few days make a narrow chart, in sight on a phone)
    assert '<svg width="120" height="180"' in page
    assert '<rect x="36.0" y="18.0" width="48" height="140.0">' in page
    assert '<text class="count" x="60.0" y="14.0" text-anchor="middle">3</text>' in page
    assert '<text class="day" x="60.0" y="174" text-anchor="middle">2月13日</text>' in page


def test_the_queue_costs_the_same_queries_for_10_and_10000_nominations(office, gx, unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tuixuan.nominations.models import Nomination

    category = gx.categories.get(key="project")

    def add(count, start):
        Nomination.objects.bulk_create(
            Nomination(
                campaign=gx,
                category=category,
                unit=unit,
                status=Status.SUBMITTED,
                name=f"项目{n:05d}",
                submitted_at=timezone.now(),
            )
            for n in range(start, start + count)
        )

    def queries(page=1):
        # Asked once unmeasured: the first request of a process reads the campaign's
        # configuration, which later ones find read (``campaigns.configuration``).
        assert office.get(reverse("review:queue", args=[gx.key])).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = office.get(reverse("review:queue", args=[gx.key]), {"page": page})
            assert response.status_code == 200
        return len(captured), response.content.decode()

    add(10, 0)
    few, _page = queries()
    add(9990, 10)
    many, page = queries()
    assert many == few
    assert "共200页（10000个）" in page
    assert queries(page=200)[1].count('<td data-label="名称">') == 50


def test_the_queue_shows_50_100_or_200_a_page_and_refuses_another_size(office, gx, unit):
    from django.utils import timezone

    from tuixuan.nominations.models import Nomination

    category = gx.categories.get(key="project")
    Nomination.objects.bulk_create(
        Nomination(
            campaign=gx, category=category, unit=unit, status=Status.SUBMITTED,
            name=f"项目{n:05d}", submitted_at=timezone.now(),
        )
        for n in range(230)
    )  # fmt: skip
    url = reverse("review:queue", args=[gx.key])
    rows = '<td data-label="名称">'
    assert office.get(url).content.decode().count(rows) == 50
    page = office.get(url, {"per_page": 200}).content.decode()
    assert page.count(rows) == 200
    assert "共2页（230个）" in page and "?page=2&amp;per_page=200" in page
    assert '<option value="200" selected>' in page
    refused = office.get(url, {"per_page": 5000})
    assert refused.status_code == 400
    assert "“每页条数”：只能是50、100或200。" in refused.content.decode()
    assert refused.content.decode().count(rows) == 50


def test_a_tick_the_page_did_not_offer_is_refused_naming_the_field(office, submitted):
    """Defect fixed: an id that is not one of the nomination's manual criteria was ignored."""
    url = reverse("review:accept", args=[submitted.uid])
    response = office.post(url, {"checked": [*all_ticks(submitted), "999999"]})
    assert response.status_code == 400
    assert "“人工核对项”：" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_a_flag_decision_other_than_confirm_or_clear_is_refused(office, gx, unit, member):
    """Defect fixed: any word but "confirm" used to clear the flag."""
    nomination = past_winner_flagged(gx, unit, member)
    flag = Flag.objects.get()
    decide = reverse("review:flag", args=[nomination.uid, flag.pk])
    response = office.post(decide, {"decision": "maybe", "reason": "不确定"})
    assert response.status_code == 400
    assert "“核实结论”：" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_the_office_pages_do_not_read_the_campaign_file_text(office, gx, submitted):
    """The campaign file's text (tens of kilobytes, shown only in the admin) is not read on
    every office page: the campaign is looked up by key without it, its parent too."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name in ("review:office", "review:queue"):
        with CaptureQueriesContext(connection) as queries:
            assert office.get(reverse(name, args=[gx.key])).status_code == 200
        campaign_reads = [q["sql"] for q in queries if 'FROM "campaigns_campaign"' in q["sql"]]
        assert campaign_reads, name
        assert not [sql for sql in campaign_reads if '"source"' in sql], name
