"""The expert's work over the API: their assignments, scoring, and declaring a conflict.

An expert sees what the scoring page shows and nothing more: the form's rows without the fields
the campaign file marks personal (联系方式, 通讯地址, 出生年月, 政治面貌), the photos, the rubric
and their own scores. Another expert's assignment is "not found" (404).
"""

from django.utils.translation import gettext_lazy as _
from ninja import Router
from ninja.pagination import paginate

from tuixuan.common.lookup import get_permitted_or_404
from tuixuan.documents.rows import form_rows
from tuixuan.review import services
from tuixuan.review.models import Assignment
from tuixuan.units.models import Role, RoleKind

from ..auth import TOKEN_OR_SESSION
from ..common import Pages, refusals
from ..schemas import AssignmentDetailOut, AssignmentOut, ConflictIn, ScoresIn

router = Router(tags=[_("评审专家")], auth=TOKEN_OR_SESSION)

NOT_FOUND = _("没有找到该评审任务。")


def _base():
    return Assignment.objects.select_related(
        "nomination__category", "nomination__campaign"
    ).prefetch_related("scores__item")


def _assignment(request, assignment_id) -> Assignment:
    return get_permitted_or_404(
        _base(), request.auth, "review.score", message=NOT_FOUND, pk=assignment_id
    )


def _summary(assignment) -> dict:
    nomination = assignment.nomination
    return {
        "id": assignment.pk,
        "nomination": nomination.uid,
        "name": nomination.name,
        "campaign": nomination.campaign.key,
        "category": nomination.category.key,
        "category_name": nomination.category.name,
        "status": nomination.status,
        "conflict": assignment.conflict,
        "scored_at": assignment.scored_at,
        "assigned_at": assignment.assigned_at,
    }


def _detail(assignment) -> dict:
    nomination = assignment.nomination
    return {
        **_summary(assignment),
        # Experts never receive 联系方式, 通讯地址, 出生年月, 政治面貌 (FieldSpec.personal).
        "rows": [
            {"key": row.key, "label": row.label, "text": row.text}
            for row in form_rows(nomination)
            if not row.personal
        ],
        "photos": list(nomination.photos.all()),
        "rubric": list(nomination.category.rubric.all()),
        "scores": {score.item.key: score.value for score in assignment.scores.all()},
        "comment": assignment.comment,
    }


@router.get(
    "/assignments",
    response={200: list[AssignmentOut], **refusals()},
    summary=_("我的评审任务"),
    description=_("分页（limit/offset）；未评分的在前。"),
)
@paginate(Pages)
def my_assignments(request):
    campaigns = Role.objects.filter(user=request.auth, kind=RoleKind.REVIEWER).values("campaign_id")
    mine = Assignment.objects.filter(
        reviewer=request.auth, nomination__campaign_id__in=campaigns
    ).select_related("nomination__category", "nomination__campaign")
    return [_summary(a) for a in mine.order_by("scored_at", "pk")]


@router.get(
    "/assignments/{assignment_id}",
    response={200: AssignmentDetailOut, **refusals(404)},
    summary=_("评审任务：推荐内容（不含个人信息）、照片、评分表与我的评分"),
)
def assignment_detail(request, assignment_id: int):
    return _detail(_assignment(request, assignment_id))


@router.post(
    "/assignments/{assignment_id}/scores",
    response={200: AssignmentDetailOut, **refusals(400, 403, 404)},
    summary=_("提交评分"),
    description=_("每个评分项填写0到满分之间的分数；再次提交即替换。"),
)
def submit_scores(request, assignment_id: int, payload: ScoresIn):
    assignment = _assignment(request, assignment_id)
    services.submit_scores(request.auth, assignment, payload.scores, comment=payload.comment)
    return _detail(_assignment(request, assignment_id))


@router.post(
    "/assignments/{assignment_id}/conflict",
    response={200: AssignmentOut, **refusals(400, 403, 404)},
    summary=_("声明利益冲突"),
    description=_("说明情况（reason 必填）；已给的评分随之作废，由组织方另行分配。"),
)
def declare_conflict(request, assignment_id: int, payload: ConflictIn):
    assignment = _assignment(request, assignment_id)
    services.declare_conflict(request.auth, assignment, reason=payload.reason)
    return _summary(_assignment(request, assignment_id))
