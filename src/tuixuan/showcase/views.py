"""The public pages: no login, only published exemplars, only public fields, cached whole."""

import functools
from dataclasses import asdict, dataclass
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.db.models import FilteredRelation
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tuixuan.campaigns.models import Campaign, still_open
from tuixuan.common.exceptions import Refused
from tuixuan.common.html import link_for, rows_html
from tuixuan.common.storage import stored_file_response
from tuixuan.documents.docx import DOCX_TYPE, blank_form_docx
from tuixuan.nominations.lookup import nomination_or_404

from . import reads, services
from .cache import public_page
from .forms import PublishForm
from .models import Publication, PublicPhoto
from .reads import open_announcements
from .services import public_rows, public_rows_of, published

PAGE_SIZE = 24


CARD_COLUMNS = (  # the landing page's cards, their names joined in
    "pk",
    "nomination__name",
    "nomination__campaign__year",
    "nomination__category__name",
    "nomination__unit__name",
    *reads.PHOTO_COLUMNS,
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


def _card_rows(publications, start, stop, columns):
    """Rows ``start:stop`` of ``publications``: plain values, only the columns a card shows
    (not the nomination's form nor the campaign's file), its photo joined in, not prefetched."""
    rows = publications.alias(photo=FilteredRelation("photos", condition=reads.CARD_PHOTO))
    return rows.values_list(*columns)[start:stop]


def _card(link, pk, name, year, category, unit, order, size, width, height) -> Card:
    photo = "" if size is None else reverse("showcase:photo", args=[pk, order, size])
    return Card(link(pk), name, year, category, unit, photo, width, height)


def _cards(publications, start, stop) -> list[Card]:
    """Cards ``start:stop`` of ``publications``, prepared once in Python (see common/html.py),
    their link reversed once."""
    link = link_for("showcase:exemplar")
    return [_card(link, *row) for row in _card_rows(publications, start, stop, CARD_COLUMNS)]


def _listed_cards(rows, names) -> list[Card]:
    """The cards of ``rows`` (reads.listed_rows), naming the year, category and unit from
    ``names`` (``_Choices.names``). A card not among them was published after, or taken down
    before, the choices were read: it is left out, as the choices are (read one after the
    other, they may differ by a moment)."""
    link = link_for("showcase:exemplar")
    years, categories, units = names
    return [
        _card(link, pk, name, years[year], categories[category], units[unit], *photo)
        for pk, name, year, category, unit, *photo in rows
        if year in years and category in categories and unit in units
    ]


# A card as _exemplar_cards.html's loop wrote it (common/html.py: written in Python, its
# values escaped): the template loop was most of the list's time after a publication.
CARD_HTML = (
    '\n  <li class="card exemplar-card">\n    <a href="{link}">\n      {img}'
    "\n      <strong>{name}</strong>"
    '\n      <span class="muted">{year} · {category} · {unit}</span>\n    </a>\n  </li>'
)
IMG_HTML = '<img src="{photo}" alt="{name}" width="{width}" height="{height}" loading="lazy">'


def _cards_html(cards: list[Card]) -> SafeString:
    """The cards' list items; "" if there are none. Each year's words translated once."""
    years = {}
    for card in cards:
        if card.year not in years:
            years[card.year] = _("%(year)s年度") % {"year": card.year}
    return rows_html(
        CARD_HTML,
        (
            {
                "link": card.link,
                "img": rows_html(IMG_HTML, [asdict(card)]) if card.photo else mark_safe(""),
                "name": card.name,
                "year": years[card.year],
                "category": card.category,
                "unit": card.unit,
            }
            for card in cards
        ),
    )


OPTION_HTML = '<option value="{value}"{selected}>{label}</option>'
SELECTED = mark_safe(" selected")


def _options_html(options, chosen: str) -> SafeString:
    """A filter's ``<option>``s for ``options`` (value, label), ``chosen`` selected."""
    return rows_html(
        OPTION_HTML,
        (
            {"value": value, "label": label, "selected": SELECTED if str(value) == chosen else ""}
            for value, label in options
        ),
    )


@dataclass(frozen=True, slots=True)
class _Choices:
    years: list  # newest first
    categories: list  # (key, name)
    units: list  # (code, name)
    names: tuple  # ({campaign id: year}, {category id: name}, {unit id: name})


def _filter_choices(now) -> _Choices:
    """The years, categories and units that have a published exemplar, for the list's filters
    and its cards' names: read in one query (one row for each combination that occurs)
    rather than one for each."""
    found = reads.published_kinds(now)
    return _Choices(
        years=sorted({year for _, year, *_ in found}, reverse=True),
        categories=sorted({(key, name) for _, _, _, key, name, *_ in found}),
        units=sorted({(code, name) for *_, code, name in found}),
        names=(
            {row[0]: row[1] for row in found},
            {row[2]: row[4] for row in found},
            {row[5]: row[7] for row in found},
        ),
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
            "exemplars_html": _cards_html(_cards(published(), 0, 6)),
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
    now = timezone.now()  # the choices and the cards as of one moment
    year, category, unit = (request.GET.get(k, "") for k in ("year", "category", "unit"))
    # A year of more digits than any column holds matches nothing (as the ORM would answer).
    filters = {"year": int(year) if len(year) <= 9 else -1} if year.isdigit() else {}
    filters |= {name: value for name, value in (("category", category), ("unit", unit)) if value}
    page = max(int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1, 1)
    choices = _filter_choices(now)
    start = (page - 1) * PAGE_SIZE
    rows = reads.listed_rows(now, filters, start, start + PAGE_SIZE + 1)
    chosen = _listed_cards(rows, choices.names)
    return render(
        request,
        "showcase/list.html",
        {
            "exemplars_html": _cards_html(chosen[:PAGE_SIZE]),
            "more": len(chosen) > PAGE_SIZE,
            "page": page,
            "years": _options_html(
                [(y, _("%(year)s年度") % {"year": y}) for y in choices.years], year
            ),
            "categories": _options_html(choices.categories, category),
            "units": _options_html(choices.units, unit),
            "chosen": {"year": year, "category": category, "unit": unit},
            "announcements": open_announcements(timezone.localdate()),
        },
    )


@public_page
def exemplar(request, pk):
    shown = reads.exemplar(pk, timezone.now())
    if shown is None:
        raise Http404
    rows, stories = public_rows_of(reads.fields_of(shown.category_id), shown.values)
    url = request.build_absolute_uri(request.path)
    return render(
        request,
        "showcase/exemplar.html",
        {
            "exemplar": shown,
            "rows": rows,
            "stories": stories,
            "photos": reads.photos_of(pk),
            "qr": _qr_svg(url),
            "address": url,
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
