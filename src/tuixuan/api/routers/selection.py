"""The organiser's office over the API, after the ranking: deadline extensions, the 公示 and its
objections, 推报, results, and publishing exemplars.

Mounted beside ``office.py`` under /office/ and refusing alike: on a campaign (public) anyone but
its organiser gets 403; an announcement, objection or nomination the caller may not see is "not
found" (404). Each operation calls the service the office pages call, so the rules (the 公示
period, unanswered objections, the reason to publish before the result) and the audit trail are
the same.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router
from ninja.responses import Status as HttpStatus

from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import get_permitted_or_404
from tuixuan.nominations.models import Status
from tuixuan.review import services as review_services
from tuixuan.review.models import Announcement, Objection
from tuixuan.showcase import services as showcase_services
from tuixuan.showcase.models import Publication
from tuixuan.units import services as unit_services

from ..auth import TOKEN_OR_SESSION
from ..common import Slug, found, nomination_for, refusals
from ..schemas import (
    AnnounceIn,
    AnnouncementOut,
    AnswerIn,
    ChosenIn,
    CloseIn,
    DoneOut,
    ExtensionIn,
    ObjectionFilter,
    ObjectionOut,
    ParticipationOut,
    PublicationOut,
    PublishIn,
    ResultsIn,
)
from .office import _campaign

router = Router(tags=[_("组织方")], auth=TOKEN_OR_SESSION)

UNIT_NOT_FOUND = _("没有找到该推荐单位。")
ANNOUNCEMENT_NOT_FOUND = _("没有找到该公示。")
OBJECTION_NOT_FOUND = _("没有找到该异议。")
NOT_PUBLISHED = _("该推荐没有公开展示。")


def _in_campaign(campaign, uids) -> list:
    """The campaign's nominations the caller chose (all of them, or 422 naming the field)."""
    wanted = set(uids)
    chosen = campaign.nominations.filter(uid__in=wanted).select_related("campaign", "unit")
    chosen = list(chosen.order_by("pk"))
    if len(chosen) != len(wanted):
        raise Refused(_("所选推荐中有不属于该活动的。"), field="nominations")
    return chosen


# Deadline extensions ----------------------------------------------------------------------------


def _participation_out(participation) -> dict:
    """In Beijing time (the notice's), whatever offset the caller wrote."""
    until = participation.extension_until
    return {
        "unit": participation.unit.code,
        "unit_name": participation.unit.name,
        "deadline": timezone.localtime(participation.deadline),
        "extension_until": timezone.localtime(until) if until else None,
    }


@router.get(
    "/{campaign}/units",
    response={200: list[ParticipationOut], **refusals(403, 404)},
    summary=_("参与单位及其截止时间（含延期）"),
)
def units(request, campaign: Slug):
    chosen = _campaign(request, campaign)
    participations = chosen.participations.select_related("unit", "campaign")
    return [_participation_out(p) for p in participations.order_by("unit__name", "pk")]


@router.post(
    "/{campaign}/units/{unit}/extension",
    response={200: ParticipationOut, **refusals(400, 403, 404)},
    summary=_("批准或取消推荐单位延期"),
    description=_(
        "until 为延期后的截止时间（须晚于活动截止时间），null 为取消延期；理由（reason）必填，"
        "与原截止时间一并记入审计日志。"
    ),
)
def extend(request, campaign: Slug, unit: Slug, payload: ExtensionIn):
    chosen = _campaign(request, campaign)
    participation = found(
        chosen.participations.select_related("unit", "campaign"), UNIT_NOT_FOUND, unit__code=unit
    )
    participation = unit_services.extend_deadline(
        request.auth, participation, until=payload.until, reason=payload.reason
    )
    return _participation_out(participation)


# 公示 and objections ----------------------------------------------------------------------------


def _announcement_out(announcement, today=None) -> dict:
    today = today or timezone.localdate()
    return {
        "id": announcement.pk,
        "campaign": announcement.campaign.key,
        "title": announcement.title,
        "starts_on": announcement.starts_on,
        "ends_on": announcement.ends_on,
        "open": announcement.starts_on <= today <= announcement.ends_on,
        "objection_contact": announcement.objection_contact,
        "nominations": [n.uid for n in announcement.nominations.order_by("pk")],
        "page": reverse("review:announcement", args=[announcement.pk]),
    }


@router.get(
    "/{campaign}/announcements",
    response={200: list[AnnouncementOut], **refusals(403, 404)},
    summary=_("本活动的公示"),
)
def announcements(request, campaign: Slug):
    chosen = _campaign(request, campaign)
    listed = chosen.announcements.select_related("campaign").prefetch_related("nominations")
    return [_announcement_out(a) for a in listed]


@router.post(
    "/{campaign}/announcements",
    response={201: AnnouncementOut, **refusals(400, 403, 404)},
    summary=_("发布公示（开始公示期）"),
    description=_(
        "所选推荐须已列入拟推荐；截止日期默认按活动规定的工作日数推算。公示页面公开，"
        "任何人可在公示期内实名提出异议。"
    ),
)
def announce(request, campaign: Slug, payload: AnnounceIn):
    chosen = _campaign(request, campaign)
    announcement = review_services.announce(
        request.auth,
        chosen,
        _in_campaign(chosen, payload.nominations),
        starts_on=payload.starts_on or timezone.localdate(),
        ends_on=payload.ends_on,
        title=payload.title.strip(),
    )
    return HttpStatus(201, _announcement_out(announcement))


@router.post(
    "/announcements/{announcement_id}/close",
    response={200: AnnouncementOut, **refusals(400, 403, 404)},
    summary=_("结束公示"),
    description=_(
        "公示截止日期改为昨天：不再受理异议，期满后可推报。理由必填；"
        "活动规定的最短公示期（工作日）未满时不能结束，返回 422。"
    ),
)
def close(request, announcement_id: str, payload: CloseIn):
    announcement = get_permitted_or_404(
        Announcement.objects.select_related("campaign"),
        request.auth,
        "review.office",
        message=ANNOUNCEMENT_NOT_FOUND,
        on=lambda found: found.campaign,
        pk=announcement_id,
    )
    closed = review_services.close_announcement(request.auth, announcement, reason=payload.reason)
    return _announcement_out(closed)


def _objection_out(objection) -> dict:
    return {
        "id": objection.pk,
        "announcement": objection.announcement_id,
        "nomination": objection.nomination.uid,
        "nomination_name": objection.nomination.name,
        "name": objection.name,
        "contact": objection.contact,
        "content": objection.content,
        "filed_at": objection.filed_at,
        "answer": objection.answer,
        "answered_at": objection.answered_at,
    }


@router.get(
    "/{campaign}/objections",
    response={200: list[ObjectionOut], **refusals(403, 404)},
    summary=_("公示异议"),
    description=_("异议人的姓名和联系方式只有组织方可见。"),
)
def objections(request, campaign: Slug, filters: Query[ObjectionFilter]):
    chosen = _campaign(request, campaign)
    listed = Objection.objects.filter(announcement__campaign=chosen).select_related("nomination")
    if filters.answered is not None:
        listed = listed.filter(answered_at__isnull=not filters.answered)
    return [_objection_out(o) for o in listed.order_by("filed_at", "pk")]


@router.post(
    "/objections/{objection_id}/answer",
    response={200: ObjectionOut, **refusals(400, 403, 404)},
    summary=_("答复公示异议"),
    description=_("答复内容必填；尚有未答复的异议时不能推报。"),
)
def answer(request, objection_id: int, payload: AnswerIn):
    objection = get_permitted_or_404(
        Objection.objects.select_related("announcement__campaign", "nomination"),
        request.auth,
        "review.office",
        message=OBJECTION_NOT_FOUND,
        on=lambda found: found.announcement.campaign,
        pk=objection_id,
    )
    answered = review_services.answer_objection(request.auth, objection, answer=payload.answer)
    return _objection_out(answered)


# 推报 and results -------------------------------------------------------------------------------


@router.post(
    "/{campaign}/forward",
    response={200: DoneOut, **refusals(400, 403, 404)},
    summary=_("推报（批量）"),
    description=_(
        "所选推荐须在公示中，公示期已满且异议均已答复；不符合时返回 422，rule_id 为活动文件中"
        "择优推报条件的编号；全部成功或全部不变。"
    ),
)
def forward(request, campaign: Slug, payload: ChosenIn):
    chosen = _campaign(request, campaign)
    done = review_services.forward(request.auth, _in_campaign(chosen, payload.nominations))
    return {"done": done}


@router.post(
    "/{campaign}/results",
    response={200: DoneOut, **refusals(400, 403, 404)},
    summary=_("登记推选结果：入选或未入选（批量）"),
    description=_("所选推荐须已推报；同一推荐不能既入选又未入选；全部成功或全部不变。"),
)
def results(request, campaign: Slug, payload: ResultsIn):
    chosen = _campaign(request, campaign)
    selected, not_selected = set(payload.selected), set(payload.not_selected)
    if not selected and not not_selected:
        raise Refused(_("请至少选择一个推荐（selected 或 not_selected）。"), field="selected")
    if selected & not_selected:
        raise Refused(_("同一推荐不能既入选又未入选。"), field="not_selected")
    done = review_services.record_results(
        request.auth, _in_campaign(chosen, selected), _in_campaign(chosen, not_selected)
    )
    return {"done": done}


# Exemplars --------------------------------------------------------------------------------------


def _publication_out(publication) -> dict:
    return {
        "exemplar": publication.pk,
        "nomination": publication.nomination.uid,
        "published_at": publication.published_at,
        "before_result": publication.nomination.status != Status.SELECTED,
    }


@router.post(
    "/nominations/{uid}/publish",
    response={200: PublicationOut, **refusals(400, 403, 404)},
    summary=_("公开展示为典型"),
    description=_(
        "入选的推荐可直接公开；尚无入选结果（拟推荐、公示中、已推报）时须填写提前公开的理由"
        "（reason），记入审计日志，否则返回 422。"
    ),
)
def publish(request, uid: str, payload: PublishIn):
    nomination = nomination_for(request, uid, "nominations.select")
    publication = showcase_services.publish(
        request.auth, nomination, at=payload.at, reason=payload.reason
    )
    return _publication_out(publication)


@router.delete(
    "/nominations/{uid}/publish",
    response={200: DoneOut, **refusals(403, 404)},
    summary=_("撤下公开展示"),
    description=_("公开页面和公开接口不再显示该推荐及其照片；未公开展示时返回 422。"),
)
def unpublish(request, uid: str):
    nomination = nomination_for(request, uid, "nominations.select")
    publication = Publication.objects.filter(nomination=nomination).first()
    if publication is None:
        raise Refused(NOT_PUBLISHED)
    showcase_services.unpublish(request.auth, publication)
    return {"done": 1}
