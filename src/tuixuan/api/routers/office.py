"""The organiser's office over the API: formal review, experts, ranking, shortlist and exports.

Everything here belongs to the organiser of the campaign (``review.office``, ``nominations.review``,
``documents.export``): anyone else is refused with 403 on a campaign (campaigns are public) and
told "not found" (404) for a nomination or an export they may not see. Each action calls the same
service as the office pages, so the checklist, the past-winner flags, the forwarding cap and the
audit trail are the same.
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status as HttpStatus

from tuixuan.campaigns import checks
from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.documents import services as document_services
from tuixuan.documents.lookup import export_file_response, export_or_404
from tuixuan.documents.models import ExportState
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.review import services as review_services

from ..auth import TOKEN_OR_SESSION
from ..common import (
    Slug,
    binary,
    campaign_of,
    category_of,
    filtered,
    found,
    fresh,
    given_filters,
    nomination_for,
    refusals,
)
from ..lists import Listing, paged
from ..schemas import (
    AcceptIn,
    AssignedOut,
    AssignIn,
    AutoAssignedOut,
    AutoAssignIn,
    ChecklistItemOut,
    ChosenIn,
    DoneOut,
    ExportIn,
    ExportOut,
    FlagDecisionIn,
    FlagOut,
    NominationOut,
    RankedOut,
    ReturnIn,
    ScoreSheetOut,
)

router = Router(tags=[_("组织方")], auth=TOKEN_OR_SESSION)

NOT_ORGANISER = _("只有该活动的组织方可以进行此操作。")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class OfficeFilter(Schema):
    category: Slug | None = None
    status: Status | None = None
    unit: Slug | None = None


def _campaign(request, key) -> Campaign:
    """The campaign in the path, if the caller is its organiser (campaigns are public: 403)."""
    campaign = campaign_of(key)
    if not request.auth.has_perm("review.office", campaign):
        raise PermissionDenied(NOT_ORGANISER)
    return campaign


def _chosen(request, campaign, category, uids) -> tuple:
    """The category in the path and the nominations of it the caller chose."""
    category = category_of(_campaign(request, campaign), category)
    wanted = set(uids)
    chosen = list(category.nominations.filter(uid__in=wanted).select_related("unit").order_by("pk"))
    if len(chosen) != len(wanted):
        raise Refused(_("所选推荐中有不属于该类别的。"), field="nominations")
    return category, chosen


def _export_out(export) -> dict:
    return {
        "id": export.pk,
        "campaign": export.campaign.key,
        "kind": export.kind,
        "kind_label": export.get_kind_display(),
        "statuses": export.statuses,
        "include_pdf": export.include_pdf,
        "state": export.state,
        "state_label": export.get_state_display(),
        "done": export.done,
        "total": export.total,
        "percent": export.percent,
        "ready": export.state == ExportState.DONE and bool(export.file),
        "error": export.error,
        "created_at": export.created_at,
        "finished_at": export.finished_at,
    }


# Formal review ---------------------------------------------------------------------------------


@router.get(
    "/{campaign}/nominations",
    response={200: list[NominationOut], **refusals(403, 404)},
    summary=_("已报送的推荐（组织方）"),
    description=_(
        "本活动各单位已提交及之后各状态的推荐（不含草稿），可按类别、状态、单位筛选，分页。"
    ),
)
@paged
def office_nominations(request, campaign: Slug, filters: Query[OfficeFilter]):
    organised = _campaign(request, campaign)
    return Listing(_handed_in, campaign=organised.pk, **given_filters(filters))


def _handed_in(campaign, **filters):
    """The campaign's nominations but its drafts, in the office's order."""
    nominations = Nomination.objects.filter(campaign_id=campaign).exclude(status=Status.DRAFT)
    return filtered(nominations, filters).order_by("category__order", "submitted_at", "pk")


@router.get(
    "/nominations/{uid}/checklist",
    response={200: list[ChecklistItemOut], **refusals(404)},
    summary=_("形式审查的人工审核清单"),
    description=_("通过形式审查时须在 checked 中列出全部编号（id）。"),
)
def checklist(request, uid: str):
    nomination = nomination_for(request, uid, "nominations.review")
    return [
        {"id": c.pk, "rule_id": c.rule_id, "text": c.text}
        for c in checks.manual_criteria(nomination)
    ]


@router.post(
    "/nominations/{uid}/accept",
    response={200: NominationOut, **refusals(400, 403, 404)},
    summary=_("通过形式审查"),
    description=_(
        "checked 须列出人工审核清单的全部编号；尚有待核实的往届入选或重复推荐标记时不能通过。"
    ),
)
def accept(request, uid: str, payload: AcceptIn):
    nomination = nomination_for(request, uid)
    services.accept(
        request.auth, nomination, reason=payload.reason.strip(), checked=payload.checked
    )
    return fresh(nomination)


@router.post(
    "/nominations/{uid}/return",
    response={200: NominationOut, **refusals(400, 403, 404)},
    summary=_("退回修改"),
    description=_("理由（reason）必填，推荐单位可见。仅已提交的推荐可退回。"),
)
def send_back(request, uid: str, payload: ReturnIn):
    nomination = nomination_for(request, uid)
    services.return_for_revision(request.auth, nomination, reason=payload.reason)
    return fresh(nomination)


@router.get(
    "/nominations/{uid}/scores",
    response={200: list[ScoreSheetOut], **refusals(404)},
    summary=_("专家评分明细"),
)
def scores(request, uid: str):
    nomination = nomination_for(request, uid, "nominations.review")
    assignments = nomination.assignments.select_related("reviewer").prefetch_related("scores__item")
    return [
        {
            "id": a.pk,
            "reviewer": a.reviewer.get_full_name() or a.reviewer.username,
            "conflict": a.conflict,
            "conflict_reason": a.conflict_reason,
            "scored_at": a.scored_at,
            "comment": a.comment,
            "scores": {score.item.key: score.value for score in a.scores.all()},
        }
        for a in assignments
    ]


def _flag_out(flag) -> dict:
    fields = ("id", "kind", "rule_id", "detail", "status", "reason")
    return {name: getattr(flag, name) for name in fields}


@router.get(
    "/nominations/{uid}/flags",
    response={200: list[FlagOut], **refusals(404)},
    summary=_("待核实标记（往届入选、重复推荐）"),
)
def flags(request, uid: str):
    nomination = nomination_for(request, uid, "nominations.review")
    return [_flag_out(flag) for flag in nomination.flags.all()]


@router.post(
    "/nominations/{uid}/flags/{flag_id}",
    response={200: FlagOut, **refusals(400, 403, 404)},
    summary=_("确认或排除一个待核实标记"),
    description=_("理由必填；确认曾入选或重复的推荐不能通过形式审查。"),
)
def decide_flag(request, uid: str, flag_id: int, payload: FlagDecisionIn):
    nomination = nomination_for(request, uid, "nominations.review")
    flag = found(nomination.flags.all(), _("没有找到该标记。"), pk=flag_id)
    flag = services.decide_flag(
        request.auth, flag, confirmed=payload.confirmed, reason=payload.reason
    )
    return _flag_out(flag)


# Experts, ranking and shortlist ----------------------------------------------------------------


@router.post(
    "/nominations/{uid}/assign",
    response={200: AssignedOut, **refusals(400, 403, 404)},
    summary=_("手动分配一位评审专家"),
    description=_("不能分配推荐单位本单位的专家或已声明利益冲突的专家。"),
)
def assign(request, uid: str, payload: AssignIn):
    nomination = nomination_for(request, uid, "nominations.review")
    experts = {user.pk: user for user, _unit in review_services.reviewers_of(nomination.campaign)}
    reviewer = experts.get(payload.reviewer)
    if reviewer is None:
        raise Refused(_("该用户不是本活动的评审专家。"), field="reviewer")
    before = nomination.assignments.count()
    review_services.assign(request.auth, nomination, reviewer)
    return {"assignments": nomination.assignments.count() - before}


@router.post(
    "/{campaign}/auto-assign",
    response={200: AutoAssignedOut, **refusals(400, 403, 404)},
    summary=_("自动分配评审专家"),
    description=_(
        "为每个通过形式审查的推荐分配专家，负担均衡；不分配本单位或已声明利益冲突的专家。"
        "专家不够时分配能分配的，shortfall 说明缺多少，under_covered 列出这些推荐。"
    ),
)
def auto_assign(request, campaign: Slug, payload: AutoAssignIn | None = None):
    per_nomination = payload.per_nomination if payload else None
    done = review_services.auto_assign(
        request.auth, _campaign(request, campaign), per_nomination=per_nomination
    )
    under_covered = Nomination.objects.filter(pk__in=done.short).order_by("pk")
    return {
        "assignments": done.made,
        "shortfall": done.shortfall,
        "under_covered": list(under_covered.values_list("uid", flat=True)),
    }


@router.get(
    "/{campaign}/ranking/{category}",
    response={200: list[RankedOut], **refusals(403, 404)},
    summary=_("类别排名：汇总得分、评分专家人数、分差"),
)
def ranking(request, campaign: Slug, category: Slug):
    chosen = category_of(_campaign(request, campaign), category)
    return [
        {
            "uid": r.nomination.uid,
            "name": r.nomination.name,
            "unit": r.nomination.unit.code,
            "unit_name": r.nomination.unit.name,
            "status": r.nomination.status,
            "status_label": r.nomination.get_status_display(),
            "total": r.total,
            "reviewers": r.reviewers,
            "spread": r.spread,
        }
        for r in review_services.ranking(chosen.campaign, chosen)
    ]


@router.post(
    "/{campaign}/ranking/{category}/reviewed",
    response={200: DoneOut, **refusals(400, 403, 404)},
    summary=_("标记为已评审（批量）"),
    description=_("所选推荐的专家须全部完成评分；全部成功或全部不变。"),
)
def mark_reviewed(request, campaign: Slug, category: Slug, payload: ChosenIn):
    chosen = _chosen(request, campaign, category, payload.nominations)[1]
    return {"done": review_services.mark_reviewed(request.auth, chosen)}


@router.post(
    "/{campaign}/ranking/{category}/shortlist",
    response={200: DoneOut, **refusals(400, 403, 404)},
    summary=_("列入拟推荐（批量）"),
    description=_(
        "所选推荐的专家须全部完成评分，每个类别择优推报的数量不超过活动规定；"
        "不符合时返回 422，rule_id 为活动文件中择优推报条件的编号；全部成功或全部不变。"
    ),
)
def shortlist(request, campaign: Slug, category: Slug, payload: ChosenIn):
    category_chosen, chosen = _chosen(request, campaign, category, payload.nominations)
    return {"done": review_services.shortlist(request.auth, category_chosen, chosen)}


# Exports ---------------------------------------------------------------------------------------


@router.post(
    "/{campaign}/exports",
    response={202: ExportOut, **refusals(400, 403, 404)},
    summary=_("开始导出（汇总表或推报包）"),
    description=_("在后台生成；用返回的 id 查询进度，完成后下载。"),
)
def start_export(request, campaign: Slug, payload: ExportIn):
    export = document_services.start_export(
        request.auth,
        _campaign(request, campaign),
        kind=payload.kind,
        statuses=[str(s.value) for s in payload.statuses],
        include_pdf=payload.include_pdf,
    )
    return HttpStatus(202, _export_out(export))


@router.get(
    "/exports/{export_id}",
    response={200: ExportOut, **refusals(404)},
    summary=_("导出进度"),
)
def export_progress(request, export_id: str):
    return _export_out(export_or_404(request.auth, export_id))


@router.post(
    "/exports/{export_id}/retry",
    response={202: ExportOut, **refusals(403, 404)},
    summary=_("重新生成失败的导出"),
    description=_(
        "以相同的选择开始一个新的导出（例如后台进程停止后）；只有失败的导出可重试，否则422。"
    ),
)
def retry_export(request, export_id: str):
    again = document_services.retry_export(request.auth, export_or_404(request.auth, export_id))
    return HttpStatus(202, _export_out(again))


@router.get(
    "/exports/{export_id}/file",
    response=refusals(404, 409),
    openapi_extra=binary(
        _("导出的文件：汇总表（xlsx）或推报包（zip）"), XLSX_TYPE, "application/zip"
    ),
    summary=_("下载导出的文件"),
    description=_("尚未完成时返回 409。"),
)
def export_file(request, export_id: str):
    export = export_or_404(request.auth, export_id)
    if export.state != ExportState.DONE or not export.file:
        message = gettext("导出%(state)s，尚不能下载。") % {"state": export.get_state_display()}
        raise HttpError(409, message)
    return export_file_response(export)
