"""The rule engine: one small function per kind of check, combined by the campaign file.

``evaluate(nomination, facts)`` returns a result for every criterion of the nomination's campaign
and category: pass, fail, warning or manual, each with its rule ID, its field and a Chinese
message. ``facts`` answers what the checks need to know about the nominations (see ``Facts``);
``nominations.reports`` hands it in. The loader (``loader.py``) refuses a campaign file whose
criteria name a check, a parameter or a field kind that this module does not know, so a check
never meets a criterion it cannot read.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property, lru_cache
from zoneinfo import ZoneInfo

from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tuixuan.common.phrases import phrases
from tuixuan.common.text import count_chars

from . import kinds
from .kinds.dates import parse_date
from .models import Severity, still_open

PASS, FAIL, WARNING, MANUAL = "pass", "fail", "warning", "manual"
STATUS_LABELS = {
    PASS: gettext_lazy("符合"),
    FAIL: gettext_lazy("不符合"),
    WARNING: gettext_lazy("请注意"),
    MANUAL: gettext_lazy("人工审核"),
}
CHINA = ZoneInfo("Asia/Shanghai")

# Which kinds of field each check reads: the kinds say what they are (``Kind.traits``).
NUMERIC = kinds.with_trait("numeric")
DATED = kinds.with_trait("dated")
TEXTUAL = kinds.with_trait("textual")
COUNTABLE = kinds.with_trait("countable")
REGISTERED = kinds.with_trait("registration")
ANY_FIELD = frozenset(kinds.REGISTRY)


@dataclass(frozen=True)
class RuleResult:
    rule_id: str
    status: str
    message: str
    field: str = ""
    criterion: str = ""  # the notice's words
    named_id: str = ""  # “名额（编号）”: the campaign file's short name beside the ID

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def __str__(self):
        return f"{self.rule_id} {self.message}"


@dataclass
class Report:
    results: list[RuleResult]

    @property
    def failures(self) -> list[RuleResult]:
        return [result for result in self.results if result.status == FAIL]

    @property
    def warnings(self) -> list[RuleResult]:
        return [result for result in self.results if result.status == WARNING]

    @property
    def passed(self) -> bool:
        return not self.failures

    @property
    def most_urgent_first(self) -> list[RuleResult]:
        """Failures, then warnings, then the rest, each in the campaign file's order."""
        rank = {FAIL: 0, WARNING: 1}
        return sorted(self.results, key=lambda result: rank.get(result.status, 2))

    def by_rule(self, rule_id) -> list[RuleResult]:
        return [result for result in self.results if result.rule_id == rule_id]


@dataclass(frozen=True)
class Outcome:
    """What one check says; the engine adds the rule ID and turns failures into warnings."""

    ok: bool
    message: str
    field: str = ""
    missing: bool = False  # the field is empty: one kind of problem, reported once (see evaluate)


FIELD = "field"  # a parameter that names another field, of the kinds the check accepts
NUMBER = (int, float)


@dataclass(frozen=True)
class Param:
    kind: object  # a Python type, NUMBER, or FIELD
    required: bool = True
    minimum: float | None = None


@dataclass(frozen=True)
class CheckKind:
    name: str
    function: Callable
    field_kinds: frozenset | None  # None: the check names no field
    params: dict = field(default_factory=dict)  # name -> Param
    reports_missing: bool = True  # an empty field is this check's failure to report
    campaign_wide: bool = False  # may stand at campaign level, for every category
    process: bool = False  # a rule of the organiser's work, not of one nomination (see below)


CHECKS: dict[str, CheckKind] = {}


def check(name, *, field_kinds=None, params=None, reports_missing=True, campaign_wide=False):
    def register(function):
        CHECKS[name] = CheckKind(
            name, function, field_kinds, params or {}, reports_missing, campaign_wide
        )
        return function

    return register


def process_rule(name):
    """A criterion that governs the organiser's work on many nominations, such as how many of a
    category go forward. The file declares it so that refusals cite its ID (``rule_id_for``);
    the service enforcing it does the counting, and a nomination's own report skips it."""
    CHECKS[name] = CheckKind(
        name, None, None, reports_missing=False, campaign_wide=True, process=True
    )


# 择优推报: the organiser forwards the best of each category, at most the number the level above
# accepts (``[campaign.review] shortlist_per_category``), each only after its 公示.
process_rule("forwarding")


class Context:
    """What the checks read of one nomination, each piece fetched once and only when needed.

    What needs the database beyond the nomination itself comes from ``facts`` (see
    :class:`Facts`), shared when many nominations are checked together.
    """

    def __init__(self, nomination, facts, now=None):
        self.nomination = nomination
        self.now = now or timezone.now()
        self.campaign = nomination.campaign
        self.category = nomination.category
        if self.category.campaign_id == self.campaign.pk:
            self.category.campaign = self.campaign  # known already: no query for the quota
        self.values = nomination.values or {}
        self.facts = facts

    @cached_property
    def fields(self) -> dict:
        return {spec.key: spec for spec in self.category.fields.all()}

    @cached_property
    def criteria(self) -> list:
        return self.facts.criteria(self.category.pk)

    @cached_property
    def photos(self) -> list:
        return list(self.nomination.photos.all()) if self.nomination.pk else []

    def label(self, key) -> str:
        return self.fields[key].label

    def value(self, key):
        value = self.values.get(key)
        return value if kinds.is_filled(value) else None

    def number(self, key) -> Decimal | None:
        value = self.value(key)
        return None if value is None else Decimal(str(value))

    def missing(self, key) -> Outcome:
        """``key`` is empty, so this check cannot judge it; ``evaluate`` reports it once."""
        words = {"label": self.label(key)}
        return Outcome(False, _("“%(label)s”为必填项，尚未填写。") % words, key, missing=True)


class Facts:
    """What the checks know beyond the nomination itself, for a set of one campaign's nominations.

    The engine lives below the nominations in the layers, so it does not query them: the layer
    that owns them hands in a subclass (``nominations.reports.NominationFacts``) answering
    ``quota_taken(n)`` (places the unit holds in the category besides ``n``), ``closes(n)`` (the
    unit's deadline, extensions included), ``is_returned(n)``, ``handed_in_at(n)`` (when it was
    handed in, or None), ``has_stamped_pdf(n)`` and ``past_winners(n)``. Each fact is read once
    for the whole set, so checking a thousand nominations costs a handful of queries.
    """

    def __init__(self, campaign, nominations):
        self.campaign = campaign
        self.nominations = nominations

    @cached_property
    def _criteria(self) -> dict:
        by_category = {}
        for criterion in self.campaign.criteria.all():
            by_category.setdefault(criterion.category_id, []).append(criterion)
        return by_category

    def criteria(self, category_id) -> list:
        return self._criteria.get(category_id, [])


def _n(number: Decimal, kind=None) -> str:
    """A number as the field's kind shows it (60 → 60% for a percentage)."""
    text = format(number.normalize(), "f")
    return kind.text(text) if kind else text


def _param_number(value) -> Decimal:
    return Decimal(str(value))


def _local(moment: datetime) -> str:
    local = moment.astimezone(CHINA)
    return _("%(moment)s（北京时间）") % {"moment": _date(local, phrases.padded_date_time)}


def _date(value, pattern) -> str:
    """``date_format(value, pattern)``, worked out once per value, format and language in this
    process: every report writes the unit's deadline and the campaign's reference dates, the
    same few dates, and Django's formatting of them was a sixth of a nomination page's report
    (issue 18). Dates of the campaign file and the deadline only, nothing personal."""
    # The zone too: two moments in different zones are equal, and written differently.
    return _formatted(value, getattr(value, "tzinfo", None), str(pattern), get_language())


@lru_cache(maxsize=256)
def _formatted(value, zone, pattern, language) -> str:
    return date_format(value, pattern)  # ``language`` is the active one: month names are its


# Global checks -------------------------------------------------------------------------------


@check("quota", campaign_wide=True)
def quota(ctx, criterion):
    limit = ctx.category.quota
    taken = ctx.facts.quota_taken(ctx.nomination)
    words = {"category": ctx.category.name, "taken": taken, "most": limit}
    if ctx.category.has_room(taken):
        return Outcome(
            True, _("本单位在“%(category)s”类别已占用%(taken)s个名额，上限%(most)s个。") % words
        )
    return Outcome(
        False,
        _(
            "本单位在“%(category)s”类别已提交%(taken)s个推荐，"
            "每个类别不超过%(most)s个，名额已满；如需更换，请先撤回一个。"
        )
        % words,
    )


@check("deadline", campaign_wide=True)
def deadline(ctx, criterion):
    if ctx.facts.is_returned(ctx.nomination):
        return Outcome(True, _("组织方已退回修改，可在截止时间后修改并重新提交。"))
    closes = ctx.facts.closes(ctx.nomination)
    # A nomination already handed in is judged by when it was handed in, not by today.
    moment = ctx.facts.handed_in_at(ctx.nomination) or ctx.now
    if still_open(closes, moment):
        return Outcome(True, _("截止时间为%(closes)s。") % {"closes": _local(closes)})
    return Outcome(
        False, _("已过报送截止时间%(closes)s，不能再提交或修改。") % {"closes": _local(closes)}
    )


@check("complete", campaign_wide=True)
def complete(ctx, criterion):
    """Every required field is filled. ``evaluate`` adds the empty fields other checks need."""
    missing = [
        ctx.missing(spec.key)
        for spec in ctx.fields.values()
        if spec.required and ctx.value(spec.key) is None
    ]
    return missing or Outcome(True, _("推荐表必填项均已填写。"))


@check("stamped_pdf", campaign_wide=True)
def stamped_pdf(ctx, criterion):
    has_pdf = ctx.facts.has_stamped_pdf(ctx.nomination)
    if has_pdf:
        return Outcome(True, _("已上传盖章扫描PDF版推荐表。"))
    return Outcome(False, _("尚未上传盖章扫描PDF版推荐表。"))


@check("past_winner", campaign_wide=True)
def past_winner(ctx, criterion):
    matches = ctx.facts.past_winners(ctx.nomination)
    name_field = ctx.category.name_field
    if not matches:
        return Outcome(True, _("未发现往届入选记录。"), name_field)
    found = "；".join(
        _("%(year)s年度“%(name)s”") % {"year": m.year, "name": m.name} for m in matches
    )
    return Outcome(
        False,
        _("与往届入选名单同名（%(found)s），曾入选的不再参加申报；组织方将核实。")
        % {"found": found},
        name_field,
    )


@check("photos", campaign_wide=True)
def photos(ctx, criterion):
    category, photos = ctx.category, ctx.photos
    low, high = category.photo_min, category.photo_max
    if low == high:
        wanted = _("%(count)s张") % {"count": low}
    else:
        wanted = _("%(low)s—%(high)s张") % {"low": low, "high": high}
    outcomes = []
    if not category.photo_count_fits(len(photos)):
        words = {"wanted": wanted, "count": len(photos)}
        outcomes.append(
            Outcome(False, _("照片应为%(wanted)s，现有%(count)s张。") % words, "photos")
        )
    for number, photo in enumerate(photos, start=1):
        fault = category.photo_size_fault(photo.size)
        if fault is not None:
            words = {"number": number, "fault": fault}
            outcomes.append(Outcome(False, _("第%(number)s张照片为%(fault)s。") % words, "photos"))
    return outcomes or Outcome(
        True, _("照片%(count)s张，大小符合要求。") % {"count": len(photos)}, "photos"
    )


# Field checks --------------------------------------------------------------------------------


@check("required", field_kinds=ANY_FIELD)
def required(ctx, criterion):
    if ctx.value(criterion.field) is None:
        return ctx.missing(criterion.field)
    return Outcome(
        True, _("已填写“%(label)s”。") % {"label": ctx.label(criterion.field)}, criterion.field
    )


def _against_bound(ctx, criterion, bound, within, met, unmet):
    """A number field against the criterion's ``bound`` parameter: ``met`` or ``unmet``, both
    worded with the field's label, its value and the bound, as ``within(value, bound)`` says."""
    key, kind = criterion.field, kinds.of(ctx.fields[criterion.field])
    value, limit = ctx.number(key), _param_number(criterion.params[bound])
    if value is None:
        return ctx.missing(key)
    words = {"label": ctx.label(key), "value": _n(value, kind), "bound": _n(limit, kind)}
    if within(value, limit):
        return Outcome(True, met % words, key)
    return Outcome(False, unmet % words, key)


@check("min", field_kinds=NUMERIC, params={"min": Param(NUMBER, minimum=0)})
def at_least(ctx, criterion):
    met = _("“%(label)s”为%(value)s，不低于%(bound)s。")
    return _against_bound(
        ctx, criterion, "min", operator.ge, met, _("“%(label)s”为%(value)s，应不低于%(bound)s。")
    )


@check("max", field_kinds=NUMERIC, params={"max": Param(NUMBER, minimum=0)})
def at_most(ctx, criterion):
    met = _("“%(label)s”为%(value)s，不超过%(bound)s。")
    return _against_bound(
        ctx, criterion, "max", operator.le, met, _("“%(label)s”为%(value)s，应不超过%(bound)s。")
    )


@check(
    "max_chars", field_kinds=TEXTUAL, params={"max": Param(int, minimum=1)}, reports_missing=False
)
def max_chars(ctx, criterion):
    key, limit = criterion.field, criterion.params["max"]
    used = count_chars(ctx.value(key) or "")
    words = {"label": ctx.label(key), "used": used, "most": limit, "over": used - limit}
    if used <= limit:
        return Outcome(True, _("“%(label)s”%(used)s字，不超过%(most)s字。") % words, key)
    return Outcome(
        False,
        _("“%(label)s”%(used)s字（不计空格和换行），超过%(most)s字的上限，请删减%(over)s字。")
        % words,
        key,
    )


def years_before(reference: date, years: int) -> date:
    """The same calendar day ``years`` earlier (29 February becomes 28 February)."""
    try:
        return reference.replace(year=reference.year - years)
    except ValueError:
        return reference.replace(year=reference.year - years, day=28)


@check("min_years_before_reference", field_kinds=DATED, params={"years": Param(int, minimum=1)})
def min_years_before_reference(ctx, criterion):
    key, years = criterion.field, criterion.params["years"]
    value = ctx.value(key)
    if value is None:
        return ctx.missing(key)
    reference = ctx.campaign.reference_date
    latest = years_before(reference, years)
    started = parse_date(value)
    words = {
        "label": ctx.label(key),
        "value": value,
        "reference": _date(reference, phrases.padded_date),
        "years": years,
        "latest": _date(latest, phrases.padded_date),
    }
    if started <= latest:
        return Outcome(
            True, _("“%(label)s”为%(value)s，至%(reference)s已满%(years)s年。") % words, key
        )
    return Outcome(
        False,
        _("“%(label)s”为%(value)s，至%(reference)s不满%(years)s年（应不晚于%(latest)s）。") % words,
        key,
    )


@check("min_count", field_kinds=COUNTABLE, params={"min": Param(int, minimum=1)})
def min_count(ctx, criterion):
    key, low = criterion.field, criterion.params["min"]
    value = ctx.value(key)
    items = kinds.of(ctx.fields[key]).counted(value) if value else []
    if not items:
        return ctx.missing(key)
    words = {"label": ctx.label(key), "count": len(items), "least": low}
    if len(items) >= low:
        return Outcome(True, _("“%(label)s”共%(count)s项，不少于%(least)s项。") % words, key)
    return Outcome(False, _("“%(label)s”共%(count)s项，应不少于%(least)s项。") % words, key)


@check("registered", field_kinds=REGISTERED)
def registered(ctx, criterion):
    """The candidate (a registration field), or every item of a list, is on 大美志愿."""
    key = criterion.field
    value = ctx.value(key)
    if value is None:
        return ctx.missing(key)
    registrations = kinds.of(ctx.fields[key]).registrations(value)
    if registrations and registrations[0][0] == "":  # the candidate's own registration
        if registrations[0][1].get("registered") is None:  # a number typed, 是/否 unanswered
            return ctx.missing(key)
        return _registration_outcome("", registrations[0][1], key)
    outcomes = []
    for name, registration in registrations:
        what = _("“%(label)s”中的“%(name)s”") % {"label": ctx.label(key), "name": name}
        outcome = _registration_outcome(what, registration, key)
        if not outcome.ok:
            outcomes.append(outcome)
    return outcomes or Outcome(
        True, _("“%(label)s”各项均已在“大美志愿”注册。") % {"label": ctx.label(key)}, key
    )


def _registration_outcome(what, value, key) -> Outcome:
    if value and value.get("registered") is None:
        return Outcome(False, _("%(what)s未选择是否已在“大美志愿”注册。") % {"what": what}, key)
    if not value or not value.get("registered"):
        return Outcome(False, _("%(what)s未在“大美志愿”微信小程序注册。") % {"what": what}, key)
    if not value.get("number"):
        return Outcome(False, _("%(what)s已注册，但未填写注册名称或编号。") % {"what": what}, key)
    words = {"what": what, "number": value["number"]}
    return Outcome(True, _("%(what)s已在“大美志愿”注册（%(number)s）。") % words, key)


@check("at_most_field", field_kinds=NUMERIC, params={"other": Param(FIELD)})
def at_most_field(ctx, criterion):
    key, other = criterion.field, criterion.params["other"]
    value, limit = ctx.number(key), ctx.number(other)
    if value is None:
        return ctx.missing(key)
    if limit is None:
        return ctx.missing(other)
    words = {"label": ctx.label(key), "other": ctx.label(other), "value": _n(value)}
    if value <= limit:
        return Outcome(True, _("“%(label)s”不超过“%(other)s”。") % words, key)
    words["limit"] = _n(limit)
    return Outcome(
        False, _("“%(label)s”（%(value)s）不应多于“%(other)s”（%(limit)s）。") % words, key
    )


@check(
    "ratio_consistency",
    field_kinds=NUMERIC,
    params={
        "numerator": Param(FIELD),
        "denominator": Param(FIELD),
        "tolerance": Param(float, required=False, minimum=0),
    },
)
def ratio_consistency(ctx, criterion):
    """``field`` should equal numerator / denominator, within a relative tolerance (default 1%)."""
    key, params = criterion.field, criterion.params
    value = ctx.number(key)
    numerator, denominator = ctx.number(params["numerator"]), ctx.number(params["denominator"])
    tolerance = _param_number(params.get("tolerance", 0.01))
    needed = {key: value, params["numerator"]: numerator, params["denominator"]: denominator}
    if empty := [ctx.missing(needed_key) for needed_key, n in needed.items() if n is None]:
        return empty
    if not denominator:
        words = {"label": ctx.label(params["denominator"])}
        return Outcome(False, _("“%(label)s”为0，无法核对。") % words, params["denominator"])
    expected = numerator / denominator
    if abs(value - expected) <= tolerance * expected:
        return Outcome(True, _("“%(label)s”与测算值一致。") % {"label": ctx.label(key)}, key)
    words = {
        "label": ctx.label(key),
        "value": _n(value),
        "numerator": ctx.label(params["numerator"]),
        "denominator": ctx.label(params["denominator"]),
        "expected": f"{expected:.2f}",
        "tolerance": f"{tolerance:.0%}",
    }
    return Outcome(
        False,
        _(
            "“%(label)s”填写为%(value)s，按“%(numerator)s”÷“%(denominator)s”测算约为%(expected)s，"
            "相差超过%(tolerance)s，请核对。"
        )
        % words,
        key,
    )


@check("manual", field_kinds=ANY_FIELD | {None}, reports_missing=False, campaign_wide=True)
def manual(ctx, criterion):
    return Outcome(True, _("由组织方人工审核。"), criterion.field)


# The engine ----------------------------------------------------------------------------------


def evaluate(nomination, facts: Facts, *, now=None) -> Report:
    """Every criterion of the nomination's campaign and category, in the campaign file's order.

    An empty field is one kind of problem whichever check needs it: it is reported once, under
    the completeness criterion when the campaign has one (else under the first check that found
    it), so the clerk never sees one empty field cited under two rules.
    """
    ctx = Context(nomination, facts, now)
    found = []
    for criterion in [*facts.criteria(None), *ctx.criteria]:
        kind = CHECKS[criterion.check_kind]
        if not kind.process:
            outcomes = kind.function(ctx, criterion)
            found.append((criterion, outcomes if isinstance(outcomes, list) else [outcomes]))
    complete = next((c for c, _outcomes in found if c.check_kind == "complete"), None)
    empty = {}  # field key -> (the criterion that reports it, its outcome)
    for criterion, outcomes in found:
        for outcome in outcomes:
            if outcome.missing:
                empty.setdefault(outcome.field, (complete or criterion, outcome))
    place = {key: n for n, key in enumerate(ctx.fields)}  # the form's order
    results = []
    for criterion, outcomes in found:
        kind = CHECKS[criterion.check_kind]
        if criterion is complete and empty:
            outcomes = sorted((o for _c, o in empty.values()), key=lambda o: place[o.field])
        for outcome in outcomes:
            if not outcome.missing or empty[outcome.field] == (criterion, outcome):
                results.append(_result(criterion, outcome, kind))
    return Report(results)


def _result(criterion, outcome: Outcome, kind: CheckKind) -> RuleResult:
    if kind.name == "manual":
        status = MANUAL
    elif outcome.ok:
        status = PASS
    elif criterion.severity == Severity.WARNING:
        status = WARNING
    else:
        status = FAIL
    return RuleResult(
        rule_id=criterion.rule_id,
        status=status,
        message=outcome.message,
        field=outcome.field or criterion.field,
        criterion=criterion.text,
        named_id=criterion.named_id,
    )


def manual_criteria(nomination) -> list:
    """The criteria a person judges (the formal review's checklist), campaign-wide ones first."""
    return list(
        nomination.campaign.criteria.filter(check_kind="manual")
        .filter(Q(category__isnull=True) | Q(category=nomination.category))
        .order_by(F("category").asc(nulls_first=True), "order")
    )


def name_of(category, values) -> str:
    """The nomination's display name, read from the category's name field."""
    spec = next((f for f in category.fields.all() if f.key == category.name_field), None)
    if spec is None:
        return ""
    value = values.get(category.name_field)
    return "" if value is None else kinds.of(spec).line(value)[:300]
