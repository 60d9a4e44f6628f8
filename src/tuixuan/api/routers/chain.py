"""推报至上级活动 over the API: the same one action as the office page's button
(``review.services.forward_to_parent``), for the organiser of a campaign that names a parent."""

from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from ninja import Router, Schema

from tuixuan.campaigns.models import Campaign
from tuixuan.review import services as review_services

from ..auth import TOKEN_OR_SESSION
from ..common import Slug, campaign_of, refusals

router = Router(tags=[_("组织方")], auth=TOKEN_OR_SESSION)


class ArrivedOut(Schema):
    uid: UUID  # the nomination here
    parent_uid: UUID  # the nomination it became in the parent campaign
    parent_campaign: str
    unit: str  # the forwarding unit's code in the parent campaign
    name: str
    category: str
    status: str  # in the parent campaign
    status_label: str


def _campaign(request, key) -> Campaign:
    campaign = campaign_of(key)
    if not request.auth.has_perm("review.office", campaign):
        raise PermissionDenied(_("只有该活动的组织方可以进行此操作。"))
    return campaign


@router.post(
    "/{campaign}/forward-to-parent",
    response={200: list[ArrivedOut], **refusals(400, 403, 404)},
    summary=_("推报至上级活动"),
    description=_(
        "把公示期满的推荐（及已推报尚未送达上级的）一次全部推报至活动文件 parent 所指的上级活动，"
        "作为 parent_unit 单位的推荐；按上级活动的推荐表、名额、截止时间和规则检查，"
        "任一不符返回 422（rule_id 为上级活动的规则编号），全部不变。已送达的不重复推报。"
    ),
)
def forward_to_parent(request, campaign: Slug):
    arrived = review_services.forward_to_parent(request.auth, _campaign(request, campaign))
    return [
        {
            "uid": above.forwarded_from.uid,
            "parent_uid": above.uid,
            "parent_campaign": above.campaign.key,
            "unit": above.unit.code,
            "name": above.name,
            "category": above.category.key,
            "status": above.status,
            "status_label": above.get_status_display(),
        }
        for above in arrived
    ]
