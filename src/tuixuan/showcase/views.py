"""The public pages: no login, only published exemplars, only public fields, cached whole."""

import functools
from dataclasses import dataclass
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import FilteredRelation, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuixuan.campaigns.models import Campaign, still_open
from tuixuan.common.exceptions import Refused
from tuixuan.common.html import link_for
from tuixuan.common.storage import stored_file_response
from tuixuan.documents.docx import DOCX_TYPE, blank_form_docx
from tuixuan.nominations.lookup import nomination_or_404

from . import services
from .cache import public_page
from .forms import PublishForm
from .models import Publication, PublicPhoto
from .services import open_announcements, public_rows, published

PAGE_SIZE = 24


# The first photo's small copy, as a card shows it: at most one (one_derivative_each).
CARD_PHOTO = Q(photos__order=0, photos__size=400)
CARD_COLUMNS = (
    "pk",
    "nomination__name",
    "nomination__campaign__year",
    "nomination__category__name",
    "nomination__unit__name",
    "photo__order",
    "photo__size",
    "photo__width",
    "photo__height",
)
# What an exemplar's page shows besides its public fields: the campaign's year, not its file.
PAGE_FIELDS = (
    "published_at",
    "nomination__name",
    "nomination__values",
    "nomination__campaign__year",
    "nomination__category__name",
    "nomination__unit__name",
)


@dataclass(frozen=True, slots=True)
class Card:
    """A published exemplar as its card shows it (showcase/_exemplar_cards.html)."""

    link: str
    name: str
    year: int
    category: str
    unit: str
    photo: str  # its card photo's address; "" if it has none
    width: int | None
    height: int | None


def _cards(publications, start, stop) -> list[Card]:
    """Cards ``start:stop`` of ``publications``, prepared once in Python (see review/rows.py):
    read as plain values, only the columns a card shows (not the nomination's form nor the
    campaign's file), its photo joined in rather than prefetched, its link reversed once."""
    link = link_for("showcase:exemplar")
    rows = publications.alias(photo=FilteredRelation("photos", condition=CARD_PHOTO))
    return [
        Card(
            link(pk),
            name,
            year,
            category,
            unit,
            "" if size is None else reverse("showcase:photo", args=[pk, order, size]),
            width,
            height,
        )
        for pk, name, year, category, unit, order, size, width, height in rows.values_list(
            *CARD_COLUMNS
        )[start:stop]
    ]


def _filter_choices():
    """The years, categories and units that have a published exemplar, for the list's filters:
    read in one query (one row for each combination that occurs) rather than one for each."""
    found = set(
        published()
        .order_by()
        .values_list(
            "nomination__campaign__year",
            "nomination__category__key",
            "nomination__category__name",
            "nomination__unit__code",
            "nomination__unit__name",
        )
        .distinct()
    )
    return (
        sorted({year for year, *_ in found}, reverse=True),
        sorted({(key, name) for _, key, name, _, _ in found}),
        sorted({(code, name) for *_, code, name in found}),
    )


@functools.lru_cache(maxsize=1024)
def _qr_svg(url) -> str:
    """The page's address as a QR code, made once per address in each worker: it was 42 % of
    an exemplar page built afresh (issue 18), and an address's code never changes."""
    return segno.make(url, error="m").svg_inline(scale=4, dark="#1f2328", light=None)


@public_page
def landing(request):
    """The public front door: the campaigns and their deadlines, any 公示 open today, the latest
    exemplars, and the way in for units. Cached for everyone alike (``public_page``): a signed-in
    visitor carries a session cookie, so is never served the cached copy, and only such a
    visitor's own page offers the link to the 工作台."""
    now = timezone.now()
    campaigns = list(Campaign.objects.order_by("-year", "deadline", "key")[:6])
    return render(
        request,
        "showcase/landing.html",
        {
            "campaigns": [(c, still_open(c.deadline, now)) for c in campaigns],
            "announcements": open_announcements(timezone.localdate()),
            "exemplars": _cards(published(), 0, 6),
        },
    )


@public_page
def campaign_page(request, campaign_key):
    campaign = get_object_or_404(Campaign, key=campaign_key)
    today = timezone.localdate()
    announcements = list(campaign.announcements.filter(starts_on__lte=today))
    exemplars = (  # only what the page lists of each: its name and its category
        published()
        .filter(nomination__campaign=campaign)
        .select_related(None)
        .select_related("nomination__category")
        .only("nomination__name", "nomination__category__name")[:8]
    )
    return render(
        request,
        "showcase/campaign.html",
        {
            "campaign": campaign,
            "open": campaign.is_open(),
            "categories": campaign.categories.all(),
            "qr": _qr_svg(request.build_absolute_uri(request.path)),
            "exemplars": exemplars,
            "open_announcements": [a for a in announcements if today <= a.ends_on],
            "past_announcements": [a for a in announcements if a.ends_on < today],
        },
    )


def blank_form(request, campaign_key, category_key):
    campaign = get_object_or_404(Campaign, key=campaign_key)
    category = get_object_or_404(campaign.categories, key=category_key)
    response = HttpResponse(blank_form_docx(category), content_type=DOCX_TYPE)

    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(category.form_title)}.docx"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@public_page(params=("year", "category", "unit", "page"))
def exemplars(request):
    items = published()
    year, category, unit = (request.GET.get(k, "") for k in ("year", "category", "unit"))
    if year.isdigit():
        items = items.filter(nomination__campaign__year=int(year))
    if category:
        items = items.filter(nomination__category__key=category)
    if unit:
        items = items.filter(nomination__unit__code=unit)
    page = max(int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1, 1)
    chosen = _cards(items, (page - 1) * PAGE_SIZE, page * PAGE_SIZE + 1)
    years, categories, units = _filter_choices()
    return render(
        request,
        "showcase/list.html",
        {
            "items": chosen[:PAGE_SIZE],
            "more": len(chosen) > PAGE_SIZE,
            "page": page,
            "years": years,
            "categories": categories,
            "units": units,
            "chosen": {"year": year, "category": category, "unit": unit},
            "announcements": open_announcements(timezone.localdate()),
        },
    )


@public_page
def exemplar(request, pk):
    publication = get_object_or_404(published().only(*PAGE_FIELDS), pk=pk)
    nomination = publication.nomination
    rows, stories = public_rows(nomination)
    photos = list(publication.photos.filter(size=1280))
    url = request.build_absolute_uri(request.path)
    return render(
        request,
        "showcase/exemplar.html",
        {
            "publication": publication,
            "nomination": nomination,
            "rows": rows,
            "stories": stories,
            "photos": photos,
            "qr": _qr_svg(url),
            "url": url,
            "summary": (stories[0][1] if stories else "")[:120],
        },
    )


def public_photo(request, pk, order, size):
    """A public copy, cacheable by anyone (and any proxy or CDN in front) for a day. Served by
    the app from whichever storage holds it, so a take-down needs no bucket policy and the bucket
    stays private. Originals have no public URL at all."""
    copy = get_object_or_404(
        PublicPhoto, publication__in=published(), publication_id=pk, order=order, size=size
    )
    try:
        response = stored_file_response(copy.file, content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "public, max-age=86400"
    return response


class ExemplarFeed(Feed):
    title = gettext_lazy("科技志愿服务先进典型")
    description = gettext_lazy("新近公开展示的科技志愿服务先进典型")
    feed_type = Atom1Feed

    def link(self):
        return reverse("showcase:exemplars")

    def items(self):
        return published().prefetch_related("nomination__category__fields")[:30]

    def item_title(self, item):
        return f"{item.nomination.category.name}：{item.nomination.name}"

    def item_description(self, item):
        _rows, stories = public_rows(item.nomination)
        return stories[0][1][:200] if stories else ""

    def item_link(self, item):
        return reverse("showcase:exemplar", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at


@login_required
@require_POST
def publish(request, uid):
    nomination = nomination_or_404(request.user, uid, "nominations.select")
    try:
        posted = PublishForm(request.POST).refused_or_cleaned()  # "at" typed in Beijing time
        services.publish(request.user, nomination, at=posted["at"], reason=posted["reason"])
    except Refused as refused:
        messages.error(request, refused.for_people)
    else:
        messages.success(request, _("“%(name)s”已公开展示。") % {"name": nomination.name})
    return redirect("review:nomination", nomination.uid)


@login_required
@require_POST
def unpublish(request, uid):
    nomination = nomination_or_404(request.user, uid, "nominations.select")
    publication = get_object_or_404(Publication, nomination=nomination)
    services.unpublish(request.user, publication)
    messages.success(request, _("已撤下“%(name)s”的公开展示。") % {"name": nomination.name})
    return redirect("review:nomination", nomination.uid)
