"""The caller's nominations: the same services and ``rules`` predicates as the unit's pages.

A nomination is named by its ``uid``. One the caller may not see (another unit's) is "not found"
(404), exactly as on the pages, so its existence is never revealed; one the caller may see but
not change (an organiser's view of a unit's draft) is refused with 403 by the service.
"""

from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from ninja.responses import Status as HttpStatus

from tuixuan.campaigns.configuration import configuration_of
from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.nominations.reports import evaluate
from tuixuan.nominations.rules import roles_of
from tuixuan.units.models import RoleKind

from ..auth import TOKEN_OR_SESSION
from ..common import (
    CAMPAIGN_NOT_FOUND,
    Slug,
    category_of,
    filtered,
    fresh,
    given_filters,
    nomination_for,
    refusals,
)
from ..filling import unit_for, values_by_key
from ..lists import Listing, paged
from ..schemas import (
    NominationIn,
    NominationOut,
    ReportOut,
    RulesNotMetOut,
    SubmittedOut,
    ValuesIn,
    WithdrawIn,
    report_out,
)

router = Router(tags=[_("推荐")], auth=TOKEN_OR_SESSION)

REFUSALS = refusals(400, 403, 404)


class NominationFilter(Schema):
    campaign: Slug | None = None
    category: Slug | None = None
    status: Status | None = None
    unit: Slug | None = None


@router.get(
    "/",
    response={200: list[NominationOut], **refusals()},
    summary=_("本单位的推荐列表"),
    description=_(
        "调用者所属推荐单位的推荐，可按活动、类别、状态、单位筛选，分页（limit/offset）。"
    ),
)
@paged
def list_nominations(request, filters: Query[NominationFilter]):
    # The caller's units as a list, not a subquery: given a subquery, SQLite walks every
    # nomination of the campaign to find the unit's few (issue 18). From the roles the
    # permissions read too (one question a request).
    units = [
        unit for kind, unit, _campaign in roles_of(request.auth) if kind == RoleKind.UNIT_MEMBER
    ]
    return Listing(_units_nominations, units=tuple(units), **given_filters(filters))


def _units_nominations(units, **filters):
    nominations = filtered(Nomination.objects.filter(unit_id__in=units), filters)
    return nominations.order_by("-created_at", "-pk")


@router.post(
    "/",
    response={201: NominationOut, **REFUSALS},
    summary=_("新建推荐（草稿）"),
    description=_(
        "草稿不占名额，可不完整；已填写的内容须符合字段类型。"
        "values 的键为字段标识（key）或推荐表上的字段名称（label），其他键返回 422；"
        "调用者只属于一个推荐单位时可不填 unit。"
    ),
)
def createnomination_for(request, payload: NominationIn):
    campaign = Campaign.objects.filter(key=payload.campaign).first()
    if campaign is None:
        raise Refused(CAMPAIGN_NOT_FOUND, field="campaign")
    category = category_of(campaign, payload.category, field="category")
    nomination = services.create_nomination(
        request.auth,
        campaign=campaign,
        category=category,
        unit=unit_for(request.auth, payload.unit),
        values=values_by_key(category, payload.values),
    )
    return HttpStatus(201, fresh(nomination))


@router.get("/{uid}", response={200: NominationOut, **REFUSALS}, summary=_("读取推荐"))
def getnomination_for(request, uid: str):
    return nomination_for(request, uid)


@router.put(
    "/{uid}",
    response={200: NominationOut, **REFUSALS},
    summary=_("保存填报内容（整体替换）"),
    description=_("仅草稿或退回修改状态可改；未列出的字段被清空。"),
)
def replace_values(request, uid: str, payload: ValuesIn):
    return _save(request, uid, payload.values, partial=False)


@router.patch(
    "/{uid}",
    response={200: NominationOut, **REFUSALS},
    summary=_("保存填报内容（部分修改）"),
    description=_("仅草稿或退回修改状态可改；只改列出的字段，值为 null 的字段被清空。"),
)
def update_values(request, uid: str, payload: ValuesIn):
    return _save(request, uid, payload.values, partial=True)


def _save(request, uid, values, *, partial):
    nomination = nomination_for(request, uid)
    # Its category as the campaign's configuration holds it, fields read: naming the values,
    # cleaning them and the save read them, and none asks the database for them.
    nomination.category = configuration_of(nomination.campaign).category(pk=nomination.category_id)
    values = values_by_key(nomination.category, values)
    return fresh(services.update_nomination(request.auth, nomination, values, partial=partial))


@router.get(
    "/{uid}/report",
    response={200: ReportOut, **REFUSALS},
    summary=_("推荐条件检查结果"),
    description=_("逐条列出推荐条件：符合、不符合、请注意、人工审核，各带规则编号与字段。"),
)
def rule_report(request, uid: str):
    return report_out(evaluate(nomination_for(request, uid)))


@router.post(
    "/{uid}/submit",
    response={200: SubmittedOut, **REFUSALS, 422: RulesNotMetOut},
    summary=_("提交推荐"),
    description=_(
        "所有推荐条件符合后提交，占用本单位该类别一个名额；不符合时返回 422 及完整检查结果。"
    ),
)
def submit(request, uid: str):
    nomination = nomination_for(request, uid)
    report = services.submit(request.auth, nomination)
    return {"nomination": fresh(nomination), "report": report_out(report)}


@router.post(
    "/{uid}/withdraw",
    response={200: NominationOut, **REFUSALS},
    summary=_("撤回推荐"),
    description=_("截止前可撤回草稿或已提交的推荐，名额随即释放；理由（reason）可不填。"),
)
def withdraw(request, uid: str, payload: WithdrawIn | None = None):
    reason = payload.reason.strip() if payload else ""
    nomination = services.withdraw(request.auth, nomination_for(request, uid), reason=reason)
    return fresh(nomination)
