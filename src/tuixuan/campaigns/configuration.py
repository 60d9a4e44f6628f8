"""The campaign's configuration as this process last read it: its categories, their fields in the
file's order, and its criteria.

The unit's pages read them on every request, and building those queries and their model objects
was the largest part of a page (issue 18), while they change only when an organiser loads the
campaign file again or edits them in the admin. Every such change moves ``Campaign.revision`` on
in the database (``changed``: the loader once, ``receivers.py`` for a row saved or deleted), and
each page reads the revision with the campaign's row it fetches anyway; so a process reads the
configuration once per revision and sees a change made by any other process on its next request.

Nothing personal is kept here: no nomination, unit, person or participation, only the rows the
campaign file writes, the same for everyone.
"""

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import F

from .models import Campaign, Category, Criterion, fields_in_order


@dataclass(frozen=True)
class _Read:
    """One revision of one campaign's configuration, as read from its database: shared by every
    request of this process, so never changed once read (pages get copies of the categories)."""

    categories: tuple  # in the file's order, each with its fields read in their order
    criteria: object  # the campaign's criteria, read: a queryset the campaign is handed
    derived: dict = field(default_factory=dict)  # see ``Configuration.derived``


# (database alias, campaign pk, revision) → its configuration. Bounded: a process serves a
# handful of campaigns; a revision left behind by a change is dropped when the dict is full.
_READ: dict[tuple, _Read] = {}
_KEPT = 64


def _read(campaign) -> _Read:
    using = campaign._state.db
    categories = (
        Category.objects.using(using)
        .filter(campaign_id=campaign.pk)
        .order_by("order")  # the model's ordering less its campaign's: joins nothing
        .prefetch_related(fields_in_order())
    )
    # Campaign-wide criteria first, then each category's in the categories' order (the rule
    # report lists them so), on either database.
    criteria = (
        Criterion.objects.using(using)
        .filter(campaign_id=campaign.pk)
        .order_by(F("category__order").asc(nulls_first=True), "order", "pk")
    )
    len(criteria)  # read now: the queryset keeps its rows
    return _Read(categories=tuple(categories), criteria=criteria)


class Configuration:
    """One campaign's configuration for one request: the categories (copies of the ones read,
    each with this request's ``campaign`` as its campaign, so a page may set what it likes on
    them) and the criteria, handed to ``campaign`` as read (``campaign.criteria.all()``,
    ``rule_id_for`` and the rule engine ask no query)."""

    def __init__(self, campaign, key, read: _Read):
        self.campaign = campaign
        self.key = key
        self._read = read
        self._copies = {}

    def _copy(self, category) -> Category:
        found = self._copies.get(category.pk)
        if found is None:
            found = copy.copy(category)
            # Its own cache of what was read, so nothing added to it reaches the shared one.
            found._prefetched_objects_cache = dict(category._prefetched_objects_cache)
            found.campaign = self.campaign
            self._copies[category.pk] = found
        return found

    @property
    def categories(self) -> list[Category]:
        """The campaign's categories in the file's order, each with its fields read."""
        return [self._copy(category) for category in self._read.categories]

    def category(self, key=None, *, pk=None) -> Category | None:
        """The category ``key`` (or the one of ``pk``) with its fields read, or None."""
        for category in self._read.categories:
            if (category.key == key) if pk is None else (category.pk == pk):
                return self._copy(category)
        return None

    def derived(self, key, make):
        """What ``make()`` works out from this configuration alone, the same for everyone (never
        anything personal): made once per revision in this process, dropped with it. Layers
        above keep here what they draw from the configuration (the unit's blank form)."""
        found = self._read.derived.get(key)
        if found is None:
            found = self._read.derived[key] = make()
        return found


def configuration_of(campaign: Campaign) -> Configuration:
    """``campaign``'s configuration at the revision read with it: from this process's memory
    when it read that revision already, else read now (three queries) and kept."""
    key = (campaign._state.db, campaign.pk, campaign.revision)
    known = campaign.__dict__.get("_configuration")
    if known is not None and known.key == key:  # asked again in the same request
        return known
    read = _READ.get(key)
    if read is None:
        read = _read(campaign)
        if len(_READ) >= _KEPT:
            _READ.clear()
        _READ[key] = read
    if "criteria" not in getattr(campaign, "_prefetched_objects_cache", {}):
        campaign._prefetched_objects_cache = {
            **getattr(campaign, "_prefetched_objects_cache", {}),
            "criteria": read.criteria,
        }
    campaign._configuration = Configuration(campaign, key, read)
    return campaign._configuration


def forget_everything_read():
    """Empty this process's memory of configurations (tests: each test's database starts again
    from the same ids and revisions, with other rows)."""
    _READ.clear()


# Moving the revision on ----------------------------------------------------------------------

# Inside ``one_revision``: the campaigns changed so far, (database alias, pk), moved on once on
# leaving it rather than once for each of the hundreds of rows a campaign file writes.
_pending: ContextVar[set | None] = ContextVar("configuration_changes_pending", default=None)


def changed(campaign_id, using="default"):
    """The configuration of campaign ``campaign_id`` changed: move its revision on, in the
    database (``F() + 1``: two changes at once both count), in the changing transaction."""
    pending = _pending.get()
    if pending is not None:
        pending.add((using, campaign_id))
        return
    Campaign.objects.using(using).filter(pk=campaign_id).update(revision=F("revision") + 1)


@contextmanager
def one_revision() -> Iterator[None]:
    """The changes made inside move each campaign changed on by one revision, when they are
    all made (the loader: a campaign file rewrites hundreds of rows)."""
    token = _pending.set(set())
    try:
        yield
        pending = _pending.get()
    finally:
        _pending.reset(token)
    for using, campaign_id in pending:
        changed(campaign_id, using)
