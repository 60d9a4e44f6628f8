"""Experts and selection: assigning reviewers, scoring, ranking and shortlisting.

Each function checks its ``rules`` permission, runs in one transaction and writes the audit log.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tuixuan.campaigns.models import ScoreAggregate
from tuixuan.campaigns.workdays import nth_working_day
from tuixuan.common.audit import describe_actions, record
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import require_permission
from tuixuan.common.phrases import phrases
from tuixuan.documents.importing import arrive
from tuixuan.documents.xlsx import RANKING_TITLES, Columns
from tuixuan.nominations import services as nomination_services
from tuixuan.nominations.models import AttachmentKind, Nomination, Status
from tuixuan.showcase import cache as public_cache
from tuixuan.units.models import RecommendingUnit, Role, RoleKind

from .models import Announcement, Assignment, Objection, Score

describe_actions(
    {
        "review.assign": gettext_lazy("分配评审专家"),
        "review.auto_assign": gettext_lazy("自动分配评审专家"),
        "review.conflict": gettext_lazy("声明利益冲突"),
        "review.score": gettext_lazy("提交评分"),
        "review.announce": gettext_lazy("发布公示"),
        "review.objection": gettext_lazy("收到公示异议"),
        "review.answer": gettext_lazy("答复公示异议"),
        "review.close": gettext_lazy("结束公示"),
    }
)


def reviewers_of(campaign):
    """(user, affiliated unit id or None) for every expert of the campaign."""
    roles = Role.objects.filter(campaign=campaign, kind=RoleKind.REVIEWER).select_related("user")
    return [(role.user, role.unit_id) for role in roles.order_by("user__username")]


def _eligible(nomination, reviewer, unit_id, declined) -> bool:
    """Never an expert from the nominating unit, nor one who declared a conflict with it."""
    return unit_id != nomination.unit_id and (nomination.pk, reviewer.pk) not in declined


@transaction.atomic
def assign(user, nomination, reviewer):
    """Assign one expert by hand."""
    require_permission(user, "nominations.review", nomination)
    nomination = Nomination.objects.select_related("campaign").get(pk=nomination.pk)
    experts = dict(reviewers_of(nomination.campaign))
    if reviewer not in experts:
        raise Refused(
            _("“%(reviewer)s”不是本活动的评审专家。") % {"reviewer": reviewer}, field="reviewer"
        )
    declined = _declined(nomination.campaign)
    if not _eligible(nomination, reviewer, experts[reviewer], declined):
        raise Refused(_("该专家与推荐单位存在关联或已声明利益冲突，不能分配。"), field="reviewer")
    if nomination.status not in Status.REVIEWABLE:
        raise Refused(
            _("当前状态为“%(status)s”，不能%(doing)s。")
            % {"status": nomination.get_status_display(), "doing": pgettext("step", "分配评审")}
        )
    assignment, created = Assignment.objects.get_or_create(nomination=nomination, reviewer=reviewer)
    if created:
        record("review.assign", actor=user, nomination=nomination, reviewer=reviewer.username)
    return assignment


def _declined(campaign) -> set:
    return set(
        Assignment.objects.filter(nomination__campaign=campaign, conflict=True).values_list(
            "nomination_id", "reviewer_id"
        )
    )


@dataclass
class AutoAssigned:
    """What an auto-assignment did: ``made`` assignments, and the nominations it could not give
    ``per_nomination`` experts (too few experts, or too few without a tie to the unit), each
    with how many it still lacks. The ranking shows those as under-covered (``Ranked``)."""

    made: int
    per_nomination: int
    short: dict  # nomination id → experts still missing

    @property
    def shortfall(self) -> str:
        """The organiser's warning, empty when every nomination has its experts."""
        if not self.short:
            return ""
        return _(
            "%(count)s个推荐未能分配到每个推荐%(per)s位评审专家，至少还需增加%(most)s位评审专家"
            "（共缺%(missing)s人次）；这些推荐在排名页标为“专家不足”。"
            "请增加评审专家后再次自动分配，或手动分配。"
        ) % {
            "count": len(self.short),
            "per": self.per_nomination,
            "most": max(self.short.values()),
            "missing": sum(self.short.values()),
        }


@transaction.atomic
def auto_assign(user, campaign, *, per_nomination=None) -> AutoAssigned:
    """Give every accepted nomination ``per_nomination`` experts (the campaign's number by
    default), always the eligible expert with the fewest assignments so far, so that loads differ
    by at most one wherever eligibility allows. Where the experts do not reach, it assigns what
    it can and says how many are missing (``AutoAssigned.shortfall``)."""
    require_permission(user, "review.office", campaign)
    per_nomination = per_nomination or campaign.reviewers_per_nomination
    experts = reviewers_of(campaign)
    if not experts:
        raise Refused(_("本活动还没有评审专家。"))
    existing = Assignment.objects.filter(nomination__campaign=campaign, conflict=False)
    load = Counter(existing.values_list("reviewer_id", flat=True))
    held = {}
    for nomination_id, reviewer_id in existing.values_list("nomination_id", "reviewer_id"):
        held.setdefault(nomination_id, set()).add(reviewer_id)
    declined = _declined(campaign)
    made, short = [], {}
    nominations = campaign.nominations.filter(status__in=Status.REVIEWABLE).order_by("pk")
    for nomination in nominations:
        mine = held.setdefault(nomination.pk, set())
        candidates = [
            (reviewer, unit_id)
            for reviewer, unit_id in experts
            if reviewer.pk not in mine and _eligible(nomination, reviewer, unit_id, declined)
        ]
        while len(mine) < per_nomination and candidates:
            candidates.sort(key=lambda pair: (load[pair[0].pk], pair[0].username))
            reviewer, _unit = candidates.pop(0)
            made.append(Assignment(nomination=nomination, reviewer=reviewer))
            mine.add(reviewer.pk)
            load[reviewer.pk] += 1
        if len(mine) < per_nomination:
            short[nomination.pk] = per_nomination - len(mine)
    Assignment.objects.bulk_create(made, ignore_conflicts=True)
    record(
        "review.auto_assign",
        actor=user,
        campaign=campaign,
        assignments=len(made),
        under_covered=len(short),
        experts_missing=sum(short.values()),
    )
    return AutoAssigned(len(made), per_nomination, short)


@transaction.atomic
def declare_conflict(user, assignment, *, reason):
    """The expert declines: a conflict of interest, with a reason; the organiser reassigns."""
    require_permission(user, "review.score", assignment)
    if not (reason or "").strip():
        raise Refused(_("请说明利益冲突的情况。"), field="conflict_reason")
    assignment.conflict, assignment.conflict_reason = True, reason.strip()[:300]
    assignment.save(update_fields=["conflict", "conflict_reason"])
    assignment.scores.all().delete()
    record("review.conflict", actor=user, nomination=assignment.nomination, reason=reason.strip())
    return assignment


@transaction.atomic
def submit_scores(user, assignment, values: dict, *, comment=""):
    """Score every rubric line, each from 0 to its maximum; a later submission replaces it."""
    require_permission(user, "review.score", assignment)
    if assignment.conflict:
        raise Refused(_("已声明利益冲突，不能评分。"))
    if assignment.nomination.status not in Status.REVIEWABLE:
        raise Refused(_("该推荐已不在评审阶段，不能再评分。"))
    rubric = list(assignment.nomination.category.rubric.all())
    errors, scores = {}, []
    for item in rubric:
        raw = values.get(item.key, "")
        try:
            value = Decimal(str(raw).strip())
            if not value.is_finite():
                raise ValueError
        except (ArithmeticError, ValueError):
            errors[item.key] = _("“%(label)s”：请填写0到%(most)s之间的分数。") % {
                "label": item.label,
                "most": item.max_score,
            }
            continue
        if not 0 <= value <= item.max_score:
            errors[item.key] = _("“%(label)s”：分数应在0到%(most)s之间。") % {
                "label": item.label,
                "most": item.max_score,
            }
            continue
        scores.append(Score(assignment=assignment, item=item, value=value))
    if errors:
        raise Refused(_("评分有误，请按提示修改。"), field=next(iter(errors)), errors=errors)
    assignment.scores.all().delete()
    Score.objects.bulk_create(scores)
    assignment.comment, assignment.scored_at = comment.strip(), timezone.now()
    assignment.save(update_fields=["comment", "scored_at"])
    record("review.score", actor=user, nomination=assignment.nomination)
    return assignment


# Ranking -------------------------------------------------------------------------------------


@dataclass
class Ranked:
    nomination: Nomination
    total: Decimal | None  # the aggregated weighted score; None before any expert has scored
    reviewers: int
    spread: Decimal | None  # highest minus lowest expert total
    assigned: int = 0  # experts assigned and not withdrawn for a conflict, scored or not
    wanted: int = 0  # the campaign's reviewers per nomination

    announced_until: object = None  # the last day of its latest 公示, if it had one

    @property
    def under_covered(self) -> bool:
        """Fewer experts than the campaign's policy: its score rests on too few opinions."""
        return self.assigned < self.wanted

    @property
    def scored(self) -> bool:
        """Every expert assigned (and not withdrawn) has scored."""
        return bool(self.assigned) and self.reviewers == self.assigned

    def actions(self, today=None) -> list[str]:
        """The ranking page's bulk actions that apply to this row now (``forms.BULK_WORDS``
        keys): what its state allows and the guards would let through. 列入拟推荐 applies to a
        scored nomination not yet marked 已评审 too: the step is taken with it."""
        status = self.nomination.status
        if status in Status.REVIEWABLE:
            return ["reviewed", "shortlist"] if self.scored else []
        if status == Status.REVIEWED:
            return ["shortlist"]
        if status == Status.SHORTLISTED:
            return ["announce"]
        if status == Status.ANNOUNCED:
            today = today or timezone.localdate()
            over = self.announced_until is None or self.announced_until < today
            return ["forward"] if over else []
        if status == Status.FORWARDED:
            return ["selected", "not_selected"]
        return []


def weighted_total(scores, items) -> Decimal:
    weights = {item.pk: item.weight for item in items}
    return sum((score.value * weights[score.item_id] for score in scores), Decimal(0))


def aggregate(totals: list, how: str) -> Decimal | None:
    """Mean, or with three or more experts optionally the trimmed mean (drop one high, one low)."""
    if not totals:
        return None
    values = sorted(totals)
    if how == ScoreAggregate.TRIMMED_MEAN and len(values) >= 3:
        values = values[1:-1]
    mean = sum(values, Decimal(0)) / len(values)
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ranking(campaign, category) -> list[Ranked]:
    """The category's reviewed candidates, highest aggregated score first."""
    items = list(category.rubric.all())
    nominations = (
        category.nominations.filter(
            status__in={Status.ACCEPTED, Status.REVIEWED, *Status.PUBLISHABLE, Status.NOT_SELECTED}
        )
        .select_related("unit")
        .prefetch_related("assignments__scores", "announcements")
    )
    ranked = []
    for nomination in nominations:
        ends = [a.ends_on for a in nomination.announcements.all()]
        active = [a for a in nomination.assignments.all() if not a.conflict]
        totals = [weighted_total(a.scores.all(), items) for a in active if a.scored_at]
        spread = (max(totals) - min(totals)) if totals else None
        ranked.append(
            Ranked(
                nomination,
                aggregate(totals, campaign.score_aggregate),
                len(totals),
                spread,
                assigned=len(active),
                wanted=campaign.reviewers_per_nomination,
                announced_until=max(ends, default=None),
            )
        )
    ranked.sort(key=lambda r: (r.total is None, -(r.total or 0), r.nomination.pk))
    return ranked


def score_columns(category, nominations):
    """The summary workbook's columns from the ranking (``documents.xlsx.add_columns``): the
    aggregated score, the experts who scored, the spread (highest − lowest) and the rank in the
    category, as the ranking page numbers it. None while nobody in the category has a score."""
    ranked = ranking(category.campaign, category)
    if all(r.total is None for r in ranked):
        return None
    values = {
        r.nomination.pk: [r.total, r.reviewers, r.spread, position]
        for position, r in enumerate(ranked, 1)
        if r.total is not None
    }
    chosen = {nomination.pk for nomination in nominations}
    return Columns(
        titles=[
            title.format(aggregate=category.campaign.get_score_aggregate_display())
            for title in RANKING_TITLES
        ],
        widths=[16, 12, 8, 6],
        formats=["0.00", None, "0.00", None],
        values={pk: row for pk, row in values.items() if pk in chosen},
    )


# Selection -----------------------------------------------------------------------------------


@transaction.atomic
def mark_reviewed(user, nominations) -> int:
    """标记为已评审 the chosen nominations, all or none (``nominations.services.mark_reviewed``)."""
    for nomination in nominations:
        nomination_services.mark_reviewed(user, nomination)
    return len(nominations)


def shortlist(user, category, nominations) -> int:
    """列入拟推荐 the chosen nominations, all or none (``nominations.services.shortlist_many``)."""
    require_permission(user, "review.office", category.campaign)
    return len(nomination_services.shortlist_many(user, category, nominations))


# 公示, objections, forwarding, results --------------------------------------------------------


@transaction.atomic
def announce(user, campaign, nominations, *, starts_on, ends_on=None, title=""):
    """Publish shortlisted nominations for the campaign's objection period (公示)."""
    require_permission(user, "review.office", campaign)
    nominations = list(nominations)
    if not nominations:
        raise Refused(_("请先勾选要公示的推荐。"))
    ends_on = ends_on or nth_working_day(
        starts_on, campaign.announcement_working_days, campaign.calendar
    )
    if ends_on < starts_on:
        raise Refused(_("公示截止日期不能早于开始日期。"), field="ends_on")
    announcement = Announcement.objects.create(
        campaign=campaign,
        title=title or f"{campaign.title}拟推荐名单公示",
        starts_on=starts_on,
        ends_on=ends_on,
        objection_contact=campaign.objection_contact,
        created_by=user,
    )
    for nomination in nominations:
        nomination_services.announce(user, nomination)
    announcement.nominations.set(nominations)
    record("review.announce", actor=user, campaign=campaign, announcement=str(announcement.pk))
    transaction.on_commit(public_cache.changed)  # the public pages link the open 公示
    return announcement


@transaction.atomic
def close_announcement(user, announcement, *, reason, today=None) -> Announcement:
    """End a 公示 as of yesterday, so that no more objections are taken and its nominations may
    be forwarded today: only with a reason, and never before the campaign's minimum period of
    working days from its start (the notice's 公示期) has run out."""
    campaign = announcement.campaign
    require_permission(user, "review.office", campaign)
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise Refused(_("“结束理由”：提前结束公示须填写理由。"), field="reason")
    announcement = Announcement.objects.select_for_update().get(pk=announcement.pk)
    if announcement.ends_on < today:
        raise Refused(
            _("该公示已于%(ends)s结束。")
            % {"ends": date_format(announcement.ends_on, phrases.padded_date)}
        )
    earliest = nth_working_day(
        announcement.starts_on, campaign.announcement_working_days, campaign.calendar
    )
    if today <= earliest:
        raise Refused(
            _("公示期不少于%(days)s个工作日，至%(earliest)s，期满后才能结束。")
            % {
                "days": campaign.announcement_working_days,
                "earliest": date_format(earliest, phrases.padded_date),
            },
            rule_id=campaign.rule_id_for("forwarding"),
        )
    before = announcement.ends_on
    announcement.ends_on = today - timedelta(days=1)
    announcement.save(update_fields=["ends_on"])
    record(
        "review.close",
        actor=user,
        campaign=campaign,
        announcement=str(announcement.pk),
        ends_on=announcement.ends_on.isoformat(),
        before=before.isoformat(),
        reason=reason,
    )
    transaction.on_commit(public_cache.changed)
    return announcement


@transaction.atomic
def file_objection(announcement, nomination, *, name, contact, content, today=None):
    """Anyone may object during the period, under a real name and with a way to reach them."""
    today = today or timezone.localdate()
    if not announcement.starts_on <= today <= announcement.ends_on:
        raise Refused(_("不在公示期内，不能提出异议。"))
    if not announcement.nominations.filter(pk=nomination.pk).exists():
        raise Refused(_("该推荐不在本次公示名单中。"), field="nomination")
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("“真实姓名”：请填写真实姓名。")
    if not (contact or "").strip():
        errors["contact"] = _("“联系方式”：请填写电话或电子邮箱，以便答复。")
    if not (content or "").strip():
        errors["content"] = _("“异议内容”：请写明异议的事实和理由。")
    if errors:
        raise Refused(_("请完整填写异议。"), field=next(iter(errors)), errors=errors)
    objection = Objection.objects.create(
        announcement=announcement,
        nomination=nomination,
        name=name.strip()[:50],
        contact=contact.strip()[:100],
        content=content.strip()[:5000],
    )
    # The objector's name and contact stay out of the audit data: only that one was filed.
    record("review.objection", nomination=nomination, objection=objection.pk)
    return objection


@transaction.atomic
def answer_objection(user, objection, *, answer):
    require_permission(user, "review.office", objection.announcement.campaign)
    if not (answer or "").strip():
        raise Refused(_("请填写答复内容。"), field="answer")
    objection.answer, objection.answered_by = answer.strip(), user
    objection.answered_at = timezone.now()
    objection.save(update_fields=["answer", "answered_by", "answered_at"])
    record("review.answer", actor=user, nomination=objection.nomination, objection=objection.pk)
    return objection


@transaction.atomic
def forward(user, nominations, *, today=None) -> int:
    """推报 the chosen nominations; all or none (see nominations.services.forward)."""
    for nomination in nominations:
        nomination_services.forward(user, nomination, today=today)
    return len(nominations)


@transaction.atomic
def record_results(user, selected, not_selected) -> int:
    for nomination in selected:
        nomination_services.record_result(user, nomination, selected=True)
    for nomination in not_selected:
        nomination_services.record_result(user, nomination, selected=False)
    return len(selected) + len(not_selected)


# The chain to the level above in one installation ---------------------------------------------

describe_actions({"review.forward_to_parent": gettext_lazy("推报至上级活动")})


# What “推报至上级活动” takes (``ready_for_parent``), also counted on the dashboard.
READY_FOR_PARENT = Q(status__in=[Status.ANNOUNCED, Status.FORWARDED], forwarded_as__isnull=True)


def ready_for_parent(campaign):
    """What “推报至上级活动” takes: the nominations whose 公示 is done (公示中, the ``forward``
    transition's source) and those already 推报 here that have not yet arrived above."""
    return (
        campaign.nominations.filter(READY_FOR_PARENT)
        .select_related("campaign", "category", "unit")
        .prefetch_related("photos", "attachments")
        .order_by("category__order", "pk")
    )


def parent_unit_of(campaign):
    """The recommending unit ``campaign``'s organiser is in its parent campaign; refuses clearly
    when the campaign file names none, or one that is not there or does not take part above."""
    parent = campaign.parent
    if parent is None:
        raise Refused(
            _("活动“%(campaign)s”没有上级活动（活动文件 campaign.parent），请导出推报包报送。")
            % {"campaign": campaign.title},
            field="parent",
        )
    unit = RecommendingUnit.objects.filter(code=campaign.parent_unit).first()
    if unit is None or not unit.participations.filter(campaign=parent).exists():
        raise Refused(
            _(
                "活动文件的 campaign.parent_unit（“%(code)s”）应为本活动组织方在上级活动"
                "“%(parent)s”中的推荐单位代码，但上级活动的推荐单位名单中没有该单位。"
            )
            % {"code": campaign.parent_unit, "parent": parent.title},
            field="parent_unit",
        )
    return unit


def forward_to_parent(user, campaign, *, today=None, now=None) -> list:
    """推报至上级活动: one action moves every ready nomination (``ready_for_parent``) to the
    parent campaign, where each arrives as a nomination of this campaign's organiser unit
    (``parent_unit_of``), through the same arrival path as a forwarding package
    (``documents.importing.arrive``): the parent's form, quota, deadline and rules applied, the
    photos and stamped PDF copied, the scores here kept as read-only history. All or none.
    Returns the nominations created in the parent."""
    require_permission(user, "review.office", campaign)
    unit = parent_unit_of(campaign)
    parent = campaign.parent
    with transaction.atomic():
        ready = list(ready_for_parent(campaign).select_for_update(of=("self",)))
        if not ready:
            raise Refused(
                _("没有可推报至上级活动的推荐：公示期满的推荐才能推报，已推报的不再重复推报。")
            )
        for nomination in ready:
            if nomination.status == Status.ANNOUNCED:
                nomination_services.forward(user, nomination, today=today)
        entries = [
            {
                "uid": str(nomination.uid),
                "category": nomination.category.key,
                "name": nomination.name,
                "values": nomination.values,
                "forwarded_from": nomination,
                "history": history_of(nomination),
            }
            for nomination in ready
        ]
        arrived = arrive(
            entries,
            campaign=parent,
            unit=unit,
            files=_copies,
            source_key=campaign.key,
            actor=user,
            now=now,
            in_time_and_rules=True,
        )
        for nomination, above in zip(ready, arrived, strict=True):
            record(
                "review.forward_to_parent",
                actor=user,
                nomination=nomination,
                parent_campaign=parent.key,
                parent_uid=str(above.uid),
            )
    return arrived


def _copies(entry):
    """The nomination's photos and stamped PDF as new files: the parent's own copies."""
    nomination = entry["forwarded_from"]
    photos = [
        (_copy(photo.file, photo.original_name), photo.original_name)
        for photo in nomination.photos.all()
    ]
    stamped = next(
        (
            (_copy(attachment.file, "stamped.pdf"), attachment.original_name)
            for attachment in nomination.attachments.all()
            if attachment.kind == AttachmentKind.STAMPED_PDF
        ),
        None,
    )
    return photos, stamped


def _copy(file, name):
    with file.open("rb") as source:
        return ContentFile(source.read(), name=name or file.name.rsplit("/")[-1])


CENT = Decimal("0.01")


def history_of(nomination) -> dict:
    """What this campaign made of ``nomination``: the experts' scores, by item, and their
    aggregate, without the experts' names. Kept on the parent's nomination as read-only history."""
    campaign, category = nomination.campaign, nomination.category
    items = list(category.rubric.all())
    experts = []
    for assignment in nomination.assignments.filter(conflict=False, scored_at__isnull=False):
        scores = {score.item_id: score.value for score in assignment.scores.all()}
        experts.append(
            {
                "total": str(weighted_total(assignment.scores.all(), items).quantize(CENT)),
                "scores": [
                    {
                        "label": item.label,
                        "max": item.max_score,
                        "value": str(scores.get(item.pk, "")),
                    }
                    for item in items
                ],
            }
        )
    total = aggregate([Decimal(e["total"]) for e in experts], campaign.score_aggregate)
    return {
        "campaign": campaign.key,
        "campaign_title": campaign.title,
        "organiser": campaign.organiser,
        "unit": nomination.unit.name,
        "aggregate": str(ScoreAggregate(campaign.score_aggregate).label),
        "total": str(total) if total is not None else "",
        "items": [{"label": item.label, "max": item.max_score} for item in items],
        "experts": experts,
    }
