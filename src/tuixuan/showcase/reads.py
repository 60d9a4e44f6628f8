"""What a public page reads after a cache miss, as prepared statements (common/prepared.py).

After a publication every public page is made again; on PostgreSQL each query is a round trip
and its ORM build about as long again in Python (issue 18). These are the queries that do not
change shape with the request: their SQL is built once per process, then only executed.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from django.db.models import FilteredRelation, Q

from tuixuan.campaigns.models import FieldSpec
from tuixuan.common.prepared import Param, Prepared, a_time
from tuixuan.review.models import Announcement

from .models import Publication, PublicPhoto

_EXAMPLE_TIME = datetime(2000, 1, 2, 3, 4, 5, tzinfo=UTC)


def _publication_key(example):
    """A placeholder for a publication's key (a UUID; on SQLite kept as its hex digits)."""
    field = Publication._meta.pk
    return Param(example, lambda connection, value: field.get_db_prep_value(value, connection))


@dataclass(frozen=True, slots=True)
class Exemplar:
    """A published exemplar as its page shows it (showcase/exemplar.html)."""

    pk: uuid.UUID
    name: str
    values: dict
    year: int
    category_id: int
    category: str
    unit: str


_exemplar = Prepared(
    lambda pk, now: (
        Publication.objects.filter(pk=pk, published_at__lte=now)
        .order_by()
        .values_list(
            "nomination__name",
            "nomination__values",
            "nomination__campaign__year",
            "nomination__category_id",
            "nomination__category__name",
            "nomination__unit__name",
        )
    ),
    _publication_key(uuid.UUID(int=7_000_031)),
    a_time(_EXAMPLE_TIME),
)


def exemplar(pk, now) -> Exemplar | None:
    """The exemplar published as ``pk`` by ``now``, or None."""
    found = _exemplar.first(pk, now)
    return None if found is None else Exemplar(pk, *found)


# In the campaign file's order within the category, without the model's ordering (which joins
# the category and the campaign to sort by them first).
_fields = Prepared(
    lambda category_id: FieldSpec.objects.filter(category_id=category_id).order_by("order"),
    Param(-7_000_032),
)


def fields_of(category_id) -> list[FieldSpec]:
    return _fields.rows(category_id)


PHOTO_SIZE = 1280  # the copy an exemplar's page shows
_photos = Prepared(
    lambda pk: (
        PublicPhoto.objects.filter(publication_id=pk, size=PHOTO_SIZE)
        .order_by("order")
        .values_list("order", "width", "height")
    ),
    _publication_key(uuid.UUID(int=7_000_033)),
)


@dataclass(frozen=True, slots=True)
class Photo:
    order: int
    size: int
    width: int
    height: int


def photos_of(pk) -> list[Photo]:
    """The page's copies of the exemplar's photos, in their order."""
    return [Photo(order, PHOTO_SIZE, width, height) for order, width, height in _photos.rows(pk)]


# The list's filters and its cards' names: every combination of year, category and unit that
# has a published exemplar (views._filter_choices).
_published_kinds = Prepared(
    lambda now: (
        Publication.objects.filter(published_at__lte=now)
        .order_by()
        .values_list(
            "nomination__campaign_id",
            "nomination__campaign__year",
            "nomination__category_id",
            "nomination__category__key",
            "nomination__category__name",
            "nomination__unit_id",
            "nomination__unit__code",
            "nomination__unit__name",
        )
        .distinct()
    ),
    a_time(_EXAMPLE_TIME),
)


def published_kinds(now) -> list[tuple]:
    """(campaign id, year, category id, key, name, unit id, code, name) of what is published
    by ``now``, each combination once."""
    return _published_kinds.rows(now)


def _a_date(example):
    return Param(example, lambda connection, value: connection.ops.adapt_datefield_value(value))


_open_announcements = Prepared(
    lambda starts_by, ends_from: Announcement.objects.filter(
        starts_on__lte=starts_by, ends_on__gte=ends_from
    ).order_by("ends_on", "created_at"),
    _a_date(date(2000, 1, 3)),
    _a_date(date(2000, 1, 4)),
)


def open_announcements(today) -> list[Announcement]:
    """The 公示 open ``today``, soonest-closing first (public: anyone may object during them)."""
    return _open_announcements.rows(today, today)


# The first photo's small copy, as a card shows it: at most one (one_derivative_each).
CARD_PHOTO = Q(photos__order=0, photos__size=400)
PHOTO_COLUMNS = ("photo__order", "photo__size", "photo__width", "photo__height")
# The list's cards name their campaign, category and unit by id: the names are looked up in
# the filters' choices, read anyway. On PostgreSQL, planning the three joins more took longer
# than running the whole query (issue 18).
LISTED_COLUMNS = (
    "pk",
    "nomination__name",
    "nomination__campaign_id",
    "nomination__category_id",
    "nomination__unit_id",
    *PHOTO_COLUMNS,
)
FILTERS = {  # the list's query parameters, and what each compares
    "year": "nomination__campaign__year",
    "category": "nomination__category__key",
    "unit": "nomination__unit__code",
}
# Values no filter is given; the year positive (the ORM answers a negative one for a positive
# column by running no query at all, so there would be no SQL to prepare).
_EXAMPLES = {"year": 7_000_041, "category": "~category~", "unit": "~unit~"}


def _listed(now, filters: dict):
    rows = Publication.objects.filter(published_at__lte=now)
    for name, value in filters.items():
        rows = rows.filter(**{FILTERS[name]: value})
    rows = rows.alias(photo=FilteredRelation("photos", condition=CARD_PHOTO))
    return rows.values_list(*LISTED_COLUMNS)


_first_pages = {}  # (the filters given, how many rows) -> Prepared


def listed_rows(now, filters: dict, start, stop) -> list[tuple]:
    """Rows ``start:stop`` (LISTED_COLUMNS) of what is published by ``now`` and matches
    ``filters`` (FILTERS' names to values), newest first. A first page (the one visited most,
    and after every publication) is a prepared statement, one for each set of filters given."""
    if start:
        return list(_listed(now, filters)[start:stop])
    names = tuple(sorted(filters))
    prepared = _first_pages.get((names, stop))
    if prepared is None:
        prepared = _first_pages[names, stop] = Prepared(
            lambda now, *values: _listed(now, dict(zip(names, values, strict=True)))[:stop],
            a_time(_EXAMPLE_TIME),
            *(Param(_EXAMPLES[name]) for name in names),
        )
    return prepared.rows(now, *(filters[name] for name in names))
