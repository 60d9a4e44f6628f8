"""Campaigns and their categories, with field specs and criteria: public, no login, with ETags."""

from django.utils.translation import gettext_lazy as _
from ninja import Router

from tuixuan.campaigns.models import Campaign

from ..common import CAMPAIGN_NOT_FOUND, Slug, found
from ..etag import etagged
from ..schemas import CampaignOut, CampaignSummaryOut, ErrorOut

router = Router(tags=[_("推选活动")], auth=None)


@router.get(
    "/",
    response={200: list[CampaignSummaryOut]},
    summary=_("推选活动列表"),
    description=_("公开。支持 If-None-Match，内容未变时返回 304。"),
)
def list_campaigns(request):
    data = [CampaignSummaryOut.from_orm(c).model_dump() for c in Campaign.objects.all()]
    return etagged(request, data)


@router.get(
    "/{key}",
    response={200: CampaignOut, 404: ErrorOut, 422: ErrorOut},
    summary=_("推选活动详情：类别、表单字段与推荐条件"),
    description=_("公开。支持 If-None-Match，内容未变时返回 304。"),
)
def get_campaign(request, key: Slug):
    campaign = found(
        Campaign.objects.prefetch_related("criteria", "categories__fields", "categories__criteria"),
        CAMPAIGN_NOT_FOUND,
        key=key,
    )
    return etagged(request, CampaignOut.from_orm(campaign).model_dump())
