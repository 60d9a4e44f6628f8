"""The caller's nominations: the same services and ``rules`` predicates as the unit's pages.

A nomination is named by its ``uid``. One the caller may not see (another unit's) is "not found"
(404), exactly as on the pages, so its existence is never revealed; one the caller may see but
not change (an organiser's view of a unit's draft) is refused with 403 by the service.
"""

from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import services
from tuixuan.nominations.lookup import nominations_with_context
from tuixuan.nominations.models import Nomination, Status
from tuixuan.nominations.reports import evaluate
from tuixuan.units.models import RecommendingUnit, Role, RoleKind

from ..auth import TOKEN_OR_SESSION
from ..common import Pages, Slug, nomination_for, refusals
from ..schemas import (
    ErrorOut,
    NominationIn,
    NominationOut,
    ReportOut,
    RulesNotMetOut,
    SubmittedOut,
    ValuesIn,
    WithdrawIn,
    report_out,
)

router = Router(tags=["推荐"], auth=TOKEN_OR_SESSION)

REFUSALS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
NOT_FOUND = "没有找到该推荐。"


class NominationFilter(Schema):
    campaign: Slug | None = None
    category: Slug | None = None
    status: Status | None = None
    unit: Slug | None = None


def _fresh(nomination) -> Nomination:
    return nominations_with_context().get(pk=nomination.pk)


@router.get(
    "/",
    response={200: list[NominationOut], **refusals()},
    summary="本单位的推荐列表",
    description="调用者所属推荐单位的推荐，可按活动、类别、状态、单位筛选，分页（limit/offset）。",
)
@paginate(Pages)
def list_nominations(request, filters: Query[NominationFilter]):
    units = Role.objects.filter(user=request.auth, kind=RoleKind.UNIT_MEMBER).values("unit_id")
    nominations = nominations_with_context().filter(unit_id__in=units)
    if filters.campaign:
        nominations = nominations.filter(campaign__key=filters.campaign)
    if filters.category:
        nominations = nominations.filter(category__key=filters.category)
    if filters.status:
        nominations = nominations.filter(status=filters.status)
    if filters.unit:
        nominations = nominations.filter(unit__code=filters.unit)
    return nominations.order_by("-created_at", "-pk")


@router.post(
    "/",
    response={201: NominationOut, **REFUSALS},
    summary="新建推荐（草稿）",
    description="草稿不占名额，可不完整；已填写的内容须符合字段类型。",
)
def createnomination_for(request, payload: NominationIn):
    campaign = Campaign.objects.filter(key=payload.campaign).first()
    if campaign is None:
        raise Refused("没有找到该推选活动。", field="campaign")
    category = campaign.categories.filter(key=payload.category).first()
    if category is None:
        raise Refused("该活动没有这个推荐类别。", field="category")
    unit = RecommendingUnit.objects.filter(code=payload.unit).first()
    if unit is None:
        raise Refused("没有找到该推荐单位。", field="unit")
    nomination = services.create_nomination(
        request.auth, campaign=campaign, category=category, unit=unit, values=payload.values
    )
    return HttpStatus(201, _fresh(nomination))


@router.get("/{uid}", response={200: NominationOut, **REFUSALS}, summary="读取推荐")
def getnomination_for(request, uid: str):
    return nomination_for(request, uid)


@router.put(
    "/{uid}",
    response={200: NominationOut, **REFUSALS},
    summary="保存填报内容（整体替换）",
    description="仅草稿或退回修改状态可改；未列出的字段被清空。",
)
def replace_values(request, uid: str, payload: ValuesIn):
    nomination = services.update_nomination(
        request.auth, nomination_for(request, uid), payload.values
    )
    return _fresh(nomination)


@router.patch(
    "/{uid}",
    response={200: NominationOut, **REFUSALS},
    summary="保存填报内容（部分修改）",
    description="仅草稿或退回修改状态可改；只改列出的字段，值为 null 的字段被清空。",
)
def update_values(request, uid: str, payload: ValuesIn):
    nomination = services.update_nomination(
        request.auth, nomination_for(request, uid), payload.values, partial=True
    )
    return _fresh(nomination)


@router.get(
    "/{uid}/report",
    response={200: ReportOut, **REFUSALS},
    summary="推荐条件检查结果",
    description="逐条列出推荐条件：符合、不符合、请注意、人工审核，各带规则编号与字段。",
)
def rule_report(request, uid: str):
    return report_out(evaluate(nomination_for(request, uid)))


@router.post(
    "/{uid}/submit",
    response={200: SubmittedOut, **REFUSALS, 422: RulesNotMetOut},
    summary="提交推荐",
    description=(
        "所有推荐条件符合后提交，占用本单位该类别一个名额；不符合时返回 422 及完整检查结果。"
    ),
)
def submit(request, uid: str):
    nomination = nomination_for(request, uid)
    report = services.submit(request.auth, nomination)
    return {"nomination": _fresh(nomination), "report": report_out(report)}


@router.post(
    "/{uid}/withdraw",
    response={200: NominationOut, **REFUSALS},
    summary="撤回推荐",
    description="截止前可撤回草稿或已提交的推荐，名额随即释放；理由（reason）可不填。",
)
def withdraw(request, uid: str, payload: WithdrawIn | None = None):
    reason = payload.reason.strip() if payload else ""
    nomination = services.withdraw(request.auth, nomination_for(request, uid), reason=reason)
    return _fresh(nomination)
