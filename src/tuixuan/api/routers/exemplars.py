"""Published exemplars, for anyone: the same selection and the same public fields as the pages.

Only what ``showcase.services.published()`` shows (published, the time reached) and only the fields
the campaign file marks public and not personal (``showcase.services.public_rows``); photos only as
the resized, EXIF-free public copies, never the originals. Answers carry ETags.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema

from tuixuan.showcase.services import public_rows, published

from ..common import MAX_OFFSET, Slug, filtered, found
from ..etag import etagged
from ..schemas import ErrorOut, ExemplarDetailOut, ExemplarPageOut

router = Router(tags=[_("先进典型（公开）")], auth=None)

NOT_FOUND = _("没有找到该先进典型。")
PUBLIC_REFUSALS = {code: ErrorOut for code in (404, 422)}


class ExemplarFilter(Schema):
    year: int | None = Field(None, ge=1949, le=9999, description=_("年度"))
    category: Slug | None = Field(None, description=_("类别标识"))
    unit: Slug | None = Field(None, description=_("推荐单位代码"))
    limit: int = Field(24, ge=1, le=100, description=_("每页条数（1–100）"))
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description=_("起始位置"))


def _photos(publication, sizes) -> list[dict]:
    return [
        {
            "order": copy.order,
            "size": copy.size,
            "width": copy.width,
            "height": copy.height,
            "url": reverse("showcase:photo", args=[publication.pk, copy.order, copy.size]),
        }
        for copy in publication.photos.all()
        if copy.size in sizes
    ]


def _item(publication, *, detail=False) -> dict:
    nomination = publication.nomination
    rows, stories = public_rows(nomination)
    out = {
        "id": publication.pk,
        "name": nomination.name,
        "campaign": nomination.campaign.key,
        "year": nomination.campaign.year,
        "category": nomination.category.key,
        "category_name": nomination.category.name,
        "unit": nomination.unit.code,
        "unit_name": nomination.unit.name,
        "published_at": publication.published_at,
        "summary": (stories[0][1] if stories else "")[:120],
        "photos": _photos(publication, {1280, 400} if detail else {400}),
    }
    if detail:
        out["rows"] = [{"label": label, "text": text} for label, text in rows]
        out["stories"] = [{"label": label, "text": text} for label, text in stories]
    return out


@router.get(
    "/",
    response={200: ExemplarPageOut, **PUBLIC_REFUSALS},
    summary=_("先进典型列表"),
    description=_(
        "公开。只含已公开展示的推荐及其公开字段（不含联系方式、通讯地址等个人信息）。"
        "可按年度（year）、类别（category）、推荐单位（unit）筛选，分页（limit/offset）。"
        "支持 If-None-Match，内容未变时返回 304。"
    ),
)
def list_exemplars(request, filters: Query[ExemplarFilter]):
    items = filtered(published(), filters, nomination="nomination__")
    page = items.prefetch_related("photos", "nomination__category__fields")[
        filters.offset : filters.offset + filters.limit
    ]
    data = {"items": [_item(p) for p in page], "count": items.count()}
    return etagged(request, ExemplarPageOut(**data).model_dump(mode="json"))


@router.get(
    "/{exemplar_id}",
    response={200: ExemplarDetailOut, **PUBLIC_REFUSALS},
    summary=_("先进典型详情"),
    description=_("公开字段、事迹与公开版照片。支持 If-None-Match，内容未变时返回 304。"),
)
def get_exemplar(request, exemplar_id: str):
    publication = found(  # published() holds only what anyone may see
        published().prefetch_related("photos", "nomination__category__fields"),
        NOT_FOUND,
        pk=exemplar_id,
    )
    detail = _item(publication, detail=True)
    return etagged(request, ExemplarDetailOut(**detail).model_dump(mode="json"))
