"""A nomination's rule report: the campaign's rule engine, run on the facts this app knows.

The engine (``campaigns.checks``) knows the criteria and the kinds of check; what it needs to know
about the nominations themselves — places already taken, the unit's deadline, the stamped PDF,
past winners, whether the organiser returned it — is read here, once for a whole set.
"""

from dataclasses import dataclass
from functools import cache, cached_property

from tuixuan.campaigns import checks, kinds
from tuixuan.campaigns.kinds import FieldError, clean_values
from tuixuan.common.exceptions import RulesNotMet
from tuixuan.common.prepared import Param, Prepared
from tuixuan.common.text import normalise_name
from tuixuan.units.models import deadlines_for

from . import deadlines
from .models import Attachment, AttachmentKind, PastWinner, Status
from .places import place_holders, place_holders_in


class NominationFacts(checks.Facts):
    @cached_property
    def _quota_holders(self) -> dict:
        unit_ids = {n.unit_id for n in self.nominations}
        category_ids = {n.category_id for n in self.nominations}
        if len(unit_ids) == 1 and len(category_ids) == 1:  # one nomination's page
            return place_holders_in(self.campaign, *unit_ids, *category_ids)
        return place_holders(self.campaign, unit_ids, category_ids)

    def quota_taken(self, nomination) -> int:
        """Places the unit holds in the category, not counting this nomination."""
        holders = self._quota_holders.get((nomination.unit_id, nomination.category_id), set())
        return len(holders - {nomination.pk})

    @cached_property
    def _deadlines(self) -> dict:
        unit_ids = {n.unit_id for n in self.nominations}
        if len(unit_ids) == 1:  # one unit's page: the deadline its permissions read already
            return {unit_id: deadlines.closes(self.campaign, unit_id) for unit_id in unit_ids}
        return deadlines_for(self.campaign, unit_ids)

    def closes(self, nomination):
        return self._deadlines[nomination.unit_id]

    def is_returned(self, nomination) -> bool:
        return nomination.status == Status.RETURNED

    def handed_in_at(self, nomination):
        if nomination.status not in Status.HOLDING_A_PLACE:
            return None
        return nomination.submitted_at

    @cached_property
    def _stamped(self) -> set:
        saved = [n for n in self.nominations if n.pk]
        if all(_prefetched(n, "attachments") for n in saved):  # a page that read them already
            return {n.pk for n in saved if stamped_pdf_of(n) is not None}
        return set(
            Attachment.objects.filter(
                nomination_id__in=[n.pk for n in saved],
                kind=AttachmentKind.STAMPED_PDF,
            ).values_list("nomination_id", flat=True)
        )

    def has_stamped_pdf(self, nomination) -> bool:
        return bool(nomination.pk) and nomination.pk in self._stamped

    @cached_property
    def _names(self) -> dict:
        """Each nomination's name as ``normalise_name`` makes it, made once (OpenCC's part)."""
        return {n.name: normalise_name(n.name) for n in self.nominations if n.name}

    @cached_property
    def _past_winners(self) -> dict:
        if self.campaign.past_winner_from is None:
            return {}
        names = set(self._names.values())
        years = (self.campaign.past_winner_from, self.campaign.past_winner_to)
        if len(names) == 1:  # one nomination's page: a statement prepared once per process
            winners = _past_winners_named.rows(*names, *years)
        else:
            winners = PastWinner.objects.filter(
                normalised_name__in=names, year__gte=years[0], year__lte=years[1]
            )
        found = {}
        for winner in winners:
            found.setdefault(winner.normalised_name, []).append(winner)
        return found

    def past_winners(self, nomination) -> list:
        if not nomination.name:
            return []
        name = self._names.get(nomination.name) or normalise_name(nomination.name)
        return self._past_winners.get(name, [])


_past_winners_named = Prepared(
    lambda name, first, last: PastWinner.objects.filter(
        normalised_name=name, year__gte=first, year__lte=last
    ),
    Param("(a normalised name)"),
    Param(7_500_001),  # positive: a year below a field's range leaves its comparison out
    Param(7_500_002),
)


def _prefetched(instance, relation) -> bool:
    """Whether ``instance``'s ``relation`` was read already (``prefetch_related``): its
    ``all()`` then answers without a query."""
    return relation in getattr(instance, "_prefetched_objects_cache", {})


def stamped_pdf_of(nomination):
    """The nomination's stamped scan, or None: from its attachments as read (one per kind), so
    a page that prefetched them asks no query, whoever asks (the page, its steps, its report)."""
    if not nomination.pk:
        return None
    return next(
        (a for a in nomination.attachments.all() if a.kind == AttachmentKind.STAMPED_PDF), None
    )


def evaluate(nomination, *, now=None, facts=None) -> checks.Report:
    """The nomination's report against every criterion of its campaign and category, and the
    fields kept as typed that do not clean (``Nomination.typed_invalid``): each fails with its
    own error, under the completeness criterion, so 检查 lists it and 提交 is refused naming it."""
    facts = facts or NominationFacts(nomination.campaign, [nomination])
    return _with_typed_invalid(nomination, facts, checks.evaluate(nomination, facts, now=now))


def typed_invalid_errors(nomination) -> dict[str, str]:
    """The fields kept as typed, each with its error (“label”：why): cleaned again by the
    field's kind, the one cleaning there is, so the message is the one the save gave."""
    if not nomination.typed_invalid:
        return {}
    fields = [f for f in nomination.category.fields.all() if f.key in nomination.typed_invalid]
    return clean_values(fields, nomination.typed_invalid)[1]


def stored_faults(nomination) -> dict[str, str]:
    """The stored values their kind cannot hand in as they are (``Kind.stored_fault``: a
    service point's name the migration could not read into its levels), each with its error."""
    faults = {}
    for spec in nomination.category.fields.all():
        if spec.key in nomination.values and _may_fault(spec.kind):
            kind = kinds.of(spec)
            if fault := kind.stored_fault(nomination.values[spec.key]):
                faults[spec.key] = kind.named(FieldError(fault))
    return faults


@cache
def _may_fault(kind_name) -> bool:
    """Whether the kind may find a stored value at fault (it has a ``stored_fault`` of its own):
    the others are not made for each field on every report only to answer ""."""
    return kinds.REGISTRY[kind_name].stored_fault is not kinds.Kind.stored_fault


def _with_typed_invalid(nomination, facts, report) -> checks.Report:
    errors = typed_invalid_errors(nomination) | stored_faults(nomination)
    if not errors:
        return report
    complete = next((c for c in facts.criteria(None) if c.check_kind == "complete"), None)
    failed = [
        checks.RuleResult(
            rule_id=complete.rule_id if complete else "",
            status=checks.FAIL,
            message=message,
            field=key,
            criterion=complete.text if complete else "",
            named_id=complete.named_id if complete else "",
        )
        for key, message in errors.items()
    ]
    # The field's value is not stored, so the other checks would call it empty: its own error
    # says more.
    return checks.Report([*failed, *(r for r in report.results if r.field not in errors)])


def evaluate_many(campaign, nominations, *, now=None):
    """``(nomination, report)`` for each of the campaign's ``nominations``, sharing the facts."""
    nominations = list(nominations)
    facts = NominationFacts(campaign, nominations)
    for nomination in nominations:
        report = checks.evaluate(nomination, facts, now=now)
        yield nomination, _with_typed_invalid(nomination, facts, report)


# What the nomination page lists above the form and shows beside each field ---------------------

# The upload sections of the nomination page, by the field name their refusals and rules carry.
SECTIONS = {"photos": "photos", "stamped_pdf": "stamped-pdf"}


@dataclass(frozen=True)
class Problem:
    """One thing the clerk must fix: where it is (a field's key, an upload section, or "" for the
    nomination as a whole), what is wrong, and the rule that says so (“名额（编号）”)."""

    field: str
    message: str
    rule: str = ""
    anchor: str = ""  # the id the summary links to: the field's control, or its section


def problems(fields, *, refused=None, report=None, typed_invalid=None) -> list[Problem]:
    """Every problem of a refused save and of a rule report, in the order of the page: the
    nomination as a whole first, then the fields in the form's order, then the uploads.

    The page lists them as links above the form and draws each beside its field, so the clerk
    sees every problem where it is, not only in a report at the top.
    """
    keys = [spec.key for spec in fields]
    found = []
    if refused is not None and not isinstance(refused, RulesNotMet):
        errors = refused.errors or ({refused.field: refused.message} if refused.field else {})
        found += [(key, message, refused.rule_id) for key, message in errors.items()]
    if report is not None:
        found += [(r.field, r.message, r.named_id or r.rule_id) for r in report.failures]
    # The fields kept as typed (``typed_invalid_errors``), unless a report lists them already.
    reported = {key for key, _message, _rule in found}
    found += [(k, m, "") for k, m in (typed_invalid or {}).items() if k not in reported]
    listed = []
    for key, message, rule in found:
        if key in keys:
            listed.append(Problem(key, message, rule, anchor=f"id_{key}"))
        else:
            listed.append(
                Problem(key if key in SECTIONS else "", message, rule, SECTIONS.get(key, ""))
            )
    place = {key: n for n, key in enumerate(["", *keys, *SECTIONS])}
    return sorted(listed, key=lambda problem: place[problem.field])
