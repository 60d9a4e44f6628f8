"""The public pages: published only, public fields only, photo copies without EXIF."""

import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from PIL import Image

from tests.conftest import BEFORE_DEADLINE, MB, complete_nomination, scored_by_an_expert
from tests.fixtures.images import camera_jpeg
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.nominations import services as nomination_services
from tuixuan.showcase import services
from tuixuan.showcase.models import Publication

PRIVATE_KEYS = ("phone", "address", "birth", "political_status")


@pytest.fixture(autouse=True)
def fresh_cache(db):
    cache.clear()
    yield
    cache.clear()


def gps_photo(size=int(1.5 * MB), seed=3):
    """A real 1600×1200 JPEG carrying EXIF with a GPS position, about a real photo's size."""
    data = camera_jpeg((1600, 1200), seed=seed)
    assert len(data) >= size * 0.9, len(data)
    return SimpleUploadedFile("gps.jpg", data, "image/jpeg")


@pytest.fixture
def shortlisted(gx, unit, member, organiser):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=1)
    nomination_services.add_photo(member, nomination, gps_photo(), now=BEFORE_DEADLINE)
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    nomination_services.accept(organiser, nomination)
    nomination_services.mark_reviewed(organiser, scored_by_an_expert(nomination))
    nomination_services.shortlist(organiser, nomination)
    nomination.refresh_from_db()
    return nomination


@pytest.fixture
def selected(organiser, shortlisted):
    """The result is in: 入选 (its 公示 and 推报 done, as the services record them)."""
    for step in (nomination_services.announce, nomination_services.forward):
        step(organiser, shortlisted)
    nomination_services.record_result(organiser, shortlisted, selected=True)
    shortlisted.refresh_from_db()
    return shortlisted


@pytest.fixture
def published(organiser, selected):
    return services.publish(organiser, selected)


def public_urls(gx, publication):
    urls = [
        reverse("showcase:exemplars"),
        reverse("showcase:exemplars") + "?category=volunteer",
        reverse("showcase:exemplar", args=[publication.pk]),
        reverse("showcase:campaign", args=[gx.key]),
        reverse("showcase:feed"),
    ]
    return urls


def test_a_published_exemplar_shows_its_story_photos_category_and_unit(client, gx, published):
    page = client.get(reverse("showcase:exemplar", args=[published.pk])).content.decode()
    nomination = published.nomination
    assert "李秀梅" in page and "最美科技志愿者" in page and "南宁市科学技术协会" in page
    assert nomination.values["deeds"][:30] in page
    assert page.count('<img src="/exemplars/') == 2
    assert 'property="og:title"' in page and "<svg" in page  # Open Graph, and the QR code


def test_no_public_page_or_feed_contains_any_private_value(client, gx, published):
    private = [str(published.nomination.values[key]) for key in PRIVATE_KEYS]
    private += ["1978年6月", "1978-06", "13807710001"]
    for url in public_urls(gx, published):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for value in private:
            assert value not in text, (url, value)


def test_a_card_in_the_filtered_list_names_its_year_category_and_unit(client, published):
    """The cards' names come from the filters' choices (read for the whole list), so a card on
    a filtered page still names its own year, category and unit."""
    listing = reverse("showcase:exemplars") + "?category=volunteer&unit=nanning-cast"
    card = client.get(listing).content.decode().split('class="card exemplar-card"')[1]
    assert "李秀梅" in card
    assert "2024年度 · 最美科技志愿者 · 南宁市科学技术协会" in " ".join(card.split())


def test_the_filters_show_what_was_chosen(client, published):
    """The filters' options are written in Python (views._options_html): the chosen year,
    category and unit stay selected on the filtered page, and nothing else is."""
    listing = reverse("showcase:exemplars") + "?year=2024&category=volunteer&unit=nanning-cast"

    def filters(url):
        page = client.get(url).content.decode()
        return page.split('class="filters card"')[1].split("</form>")[0]

    chosen = filters(listing)
    assert '<option value="2024" selected>2024年度</option>' in chosen
    assert '<option value="volunteer" selected>最美科技志愿者</option>' in chosen
    assert '<option value="nanning-cast" selected>南宁市科学技术协会</option>' in chosen
    assert chosen.count(" selected>") == 3
    assert " selected" not in filters(reverse("showcase:exemplars"))


def test_the_list_pages_through_the_exemplars_with_and_without_filters(
    client, gx, unit, member, published, monkeypatch
):
    """The first page is read by a prepared statement (showcase/reads.py), the others by the
    ORM: both list the same exemplars, newest first, for the same filters."""
    from tuixuan.showcase import views

    other = complete_nomination(member, gx, unit, "project", name="东风科普站")
    Publication.objects.create(
        nomination=other, published_at=published.published_at - timedelta(hours=1)
    )
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    base = reverse("showcase:exemplars")
    first, second = (client.get(f"{base}?page={n}").content.decode() for n in (1, 2))
    assert "李秀梅" in first and "东风科普站" not in first and "page=2" in first
    assert "东风科普站" in second and "李秀梅" not in second and "page=1" in second
    only = client.get(f"{base}?unit={unit.code}&category=project").content.decode()
    assert "东风科普站" in only and "李秀梅" not in only and "page=2" not in only


def test_a_year_beyond_any_column_finds_nothing(client, published):
    """The year goes to a prepared statement as it is: one too large for the database's
    integers is answered as the ORM answered it, an empty list, not an error."""
    response = client.get(reverse("showcase:exemplars") + "?year=" + "9" * 30)
    assert response.status_code == 200
    assert "李秀梅" not in response.content.decode()


def test_a_card_escapes_the_name_it_shows(client, published):
    """The cards are written in Python (views._cards_html): a name is escaped as the template
    escaped it, in the text and in the photo's alt."""
    from tuixuan.nominations.models import Nomination

    Nomination.objects.filter(pk=published.nomination_id).update(name="<b>李秀梅</b>")
    listing = client.get(reverse("showcase:exemplars")).content.decode()
    assert "<b>李秀梅" not in listing
    assert "<strong>&lt;b&gt;李秀梅&lt;/b&gt;</strong>" in listing
    assert 'alt="&lt;b&gt;李秀梅&lt;/b&gt;"' in listing


def test_unpublished_and_not_yet_due_exemplars_are_not_found(
    client, gx, organiser, selected, django_capture_on_commit_callbacks
):
    nomination = selected
    publication = services.publish(organiser, nomination, at=timezone.now() + timedelta(days=1))
    assert client.get(reverse("showcase:exemplar", args=[publication.pk])).status_code == 404
    listing = client.get(reverse("showcase:exemplars")).content.decode()
    assert "李秀梅" not in listing
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(organiser, nomination)
    assert client.get(reverse("showcase:exemplar", args=[publication.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(organiser, Publication.objects.get())
    assert client.get(reverse("showcase:exemplar", args=[publication.pk])).status_code == 404
    assert "李秀梅" not in client.get(reverse("showcase:exemplars")).content.decode()


def test_a_draft_or_submitted_nomination_cannot_be_published(gx, unit, member, organiser):
    nomination = complete_nomination(member, gx, unit, "project")
    with pytest.raises(Refused, match="不能公开展示"):
        services.publish(organiser, nomination)


def test_public_photos_are_resized_copies_without_exif(client, published):
    for copy in published.photos.all():
        response = client.get(reverse("showcase:photo", args=[published.pk, copy.order, copy.size]))
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=86400"
        image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
        assert max(image.size) <= copy.size
        assert not image.getexif()
        assert "exif" not in image.info
    gps_copy = published.photos.get(order=1, size=1280)
    assert (gps_copy.width, gps_copy.height) == (1280, 960)


def test_the_originals_have_no_public_address(client, published):
    photo = published.nomination.photos.first()
    response = client.get(reverse("nominations:photo", args=[published.nomination.uid, photo.pk]))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_list_filters_by_year_category_and_unit(client, gx, published):
    base = reverse("showcase:exemplars")
    assert (
        "李秀梅"
        in client.get(base + "?year=2024&category=volunteer&unit=nanning-cast").content.decode()
    )
    assert "李秀梅" not in client.get(base + "?category=project").content.decode()
    assert "李秀梅" not in client.get(base + "?year=2023").content.decode()


def test_the_feed_announces_new_exemplars(client, published):
    feed = client.get(reverse("showcase:feed")).content.decode()
    assert "<feed" in feed and "最美科技志愿者：李秀梅" in feed


def test_public_pages_are_cached_until_a_publication_changes(
    client, gx, organiser, published, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("showcase:exemplars")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    # Nothing is built again: the only queries read the cache (a table in the database).
    assert all("tuixuan_cache" in query["sql"] for query in queries.captured_queries)
    assert "李秀梅" in again.content.decode()
    assert again["Cache-Control"].startswith("public")
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(organiser, published)
    assert "李秀梅" not in client.get(url).content.decode()


def test_a_taken_down_exemplar_stays_down_when_the_cache_loses_its_generation(
    client, organiser, published, django_capture_on_commit_callbacks
):
    """The generation may be culled or evicted like any entry; the one made afresh must not be
    one a copy from before the take-down was kept in (counting again from 1 was)."""
    from tuixuan.showcase.cache import GENERATION

    url = reverse("showcase:exemplars")
    assert "李秀梅" in client.get(url).content.decode()  # kept in the first generation
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(organiser, published)
    cache.delete(GENERATION)
    assert "李秀梅" not in client.get(url).content.decode()


def test_a_visit_reads_the_cache_once_before_the_page_is_made(client, published):
    """The generation and the page's copy in one statement (each is a round trip on
    PostgreSQL): a visit after a publication reads the cache once, then makes the page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuixuan.showcase import cache as public_cache

    url = reverse("showcase:exemplar", args=[published.pk])
    client.get(url)
    public_cache.changed()
    with CaptureQueriesContext(connection) as queries:
        assert "李秀梅" in client.get(url).content.decode()
    statements = [query["sql"] for query in queries.captured_queries]
    first_page_query = next(i for i, sql in enumerate(statements) if "tuixuan_cache" not in sql)
    assert first_page_query == 1, statements[:first_page_query]


def test_only_the_parameters_a_page_reads_make_a_cached_copy(client, published):
    """A campaign link's ?utm_source=… or a random parameter is served the bare page's copy and
    leaves no entry behind (so nobody can push real pages out or force pages to be built); the
    filters the list reads each have their own copy. The QR code names the page, not the link."""
    from django.db import connection

    def entries():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM tuixuan_cache")
            return cursor.fetchone()[0]

    cache.clear()
    url = reverse("showcase:exemplar", args=[published.pk])
    first = client.get(url + "?utm_source=wechat").content.decode()
    held = entries()
    for n in range(5):
        again = client.get(f"{url}?nonce={n}&utm_source=x{n}")
        assert again.content.decode() == first
    assert entries() == held, "random parameters made cache entries"
    assert "utm_source" not in first and "nonce" not in first

    listing = reverse("showcase:exemplars")
    everyone = client.get(listing).content.decode()
    assert "李秀梅" in everyone
    none_in_2019 = client.get(listing + "?year=2019&ref=x").content.decode()
    assert "李秀梅" not in none_in_2019, "a filter the list reads was served the unfiltered copy"
    assert client.get(listing + "?ref=y&year=2019").content.decode() == none_in_2019
    assert entries() == held + 2


def test_each_language_has_its_own_cached_copy_of_a_public_page(client, published):
    """A visitor who chose English in the footer (only the language cookie, no session) is
    served from the cache, but never the Chinese copy, and never leaves English for others."""
    from django.test import Client

    url = reverse("showcase:exemplars")
    english = Client()
    english.post(reverse("set_language"), {"language": "en", "next": url})
    for first, second in ((english, client), (client, english)):
        cache.clear()
        first.get(url)
        for visitor in (first, second, first, second):
            response = visitor.get(url)
            page = response.content.decode()
            assert response["Cache-Control"].startswith("public")
            assert "Cookie" in response["Vary"]
            if visitor is english:
                assert "All years" in page and "全部年度" not in page, "the Chinese copy"
                assert response["Content-Language"] == "en"
            else:
                assert "全部年度" in page and "All years" not in page, "the English copy"
                assert response["Content-Language"] == "zh-hans"
            assert "李秀梅" in page


def test_the_campaign_page_offers_the_blank_official_forms(client, gx):
    page = client.get(reverse("showcase:campaign", args=[gx.key])).content.decode()
    assert "桂科协组发〔2025〕7号" in page and "gxkxzb@126.com" in page
    response = client.get(reverse("showcase:blank_form", args=[gx.key, "organisation"]))
    document = Document(io.BytesIO(response.content))
    # The attachment's mark, then the form's title (issue 16: the blank form is the 附件).
    assert [p.text for p in document.paragraphs[:2]] == ["附件", "“科技志愿服务组织”先进典型推荐表"]
    labels = [row.cells[0].text.split("\n")[0] for row in document.tables[0].rows]
    assert labels[:3] == ["组织名称", "成立时间", "注册科技志愿者人数"]


def test_units_cannot_publish(client, member, shortlisted):
    client.force_login(member)
    response = client.post(reverse("showcase:publish", args=[shortlisted.uid]))
    assert response.status_code == 404
    assert not Publication.objects.exists()


def test_the_organiser_publishes_a_selected_exemplar_from_the_review_page(
    client, organiser, selected
):
    client.force_login(organiser)
    page = client.get(reverse("review:nomination", args=[selected.uid])).content.decode()
    assert "公开展示" in page and "提前公开的理由" not in page
    client.post(reverse("showcase:publish", args=[selected.uid]))
    assert Publication.objects.get().nomination == selected


def test_before_a_result_of_selected_publishing_needs_a_reason_which_the_trail_keeps(
    client, organiser, shortlisted
):
    """拟推荐 is not yet 入选: the public page would present the person as this year's exemplar,
    so the organiser publishes early only with a reason, kept in the 操作记录."""
    events = AuditEvent.objects.count()
    with pytest.raises(Refused) as refused:
        services.publish(organiser, shortlisted, reason="  ")
    assert refused.value.field == "reason"
    assert refused.value.message == (
        "“李秀梅”当前为“拟推荐”，尚无入选结果，不能作为典型公开展示；"
        "确需提前公开的，请填写“提前公开的理由”。"
    )
    assert AuditEvent.objects.count() == events and not Publication.objects.exists()

    client.force_login(organiser)
    review_page = reverse("review:nomination", args=[shortlisted.uid])
    page = client.get(review_page).content.decode()
    assert "尚无入选结果" in page and "提前公开的理由（必填）" in page
    url = reverse("showcase:publish", args=[shortlisted.uid])
    refused_page = client.post(url, {"reason": ""}, follow=True).content.decode()
    assert "尚无入选结果，不能作为典型公开展示" in refused_page
    assert not Publication.objects.exists()
    client.post(url, {"reason": "配合科技活动周先行宣传"})
    assert Publication.objects.get().nomination == shortlisted
    event = AuditEvent.objects.get(action="showcase.publish")
    assert event.reason == "配合科技活动周先行宣传" and event.data["before_result"] is True
    trail = client.get(review_page).content.decode()
    assert "公开展示：配合科技活动周先行宣传" in trail


def test_the_organiser_can_schedule_a_publication(client, organiser, selected):
    client.force_login(organiser)
    client.post(reverse("showcase:publish", args=[selected.uid]), {"at": "2031-05-04T09:00"})
    publication = Publication.objects.get()
    assert (
        timezone.localtime(publication.published_at).strftime("%Y-%m-%d %H:%M")
        == "2031-05-04 09:00"
    )
    client.logout()
    assert client.get(reverse("showcase:exemplar", args=[publication.pk])).status_code == 404


def test_a_publication_time_that_is_not_a_time_is_refused(client, organiser, shortlisted):
    client.force_login(organiser)
    url = reverse("showcase:publish", args=[shortlisted.uid])
    response = client.post(url, {"at": "下周一"}, follow=True)
    assert "“公开时间”格式不正确，请重新选择。" in response.content.decode()
    assert not Publication.objects.exists()
