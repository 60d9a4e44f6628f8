"""Many drafts from one Excel workbook, and a draft copied from another nomination: the same
reader (``documents/batch.py``) and services (``create_many``, ``copy_nomination``) as the
unit's pages."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.responses import Status as HttpStatus

from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import require_permission
from tuixuan.documents.batch import read_workbook
from tuixuan.nominations import services

from ..auth import TOKEN_OR_SESSION
from ..common import CAMPAIGN_NOT_FOUND, category_of, fresh, nomination_for, refusals
from ..filling import unit_for
from ..schemas import SLUG, NominationOut, campaign_key_field, unit_code_field

router = Router(tags=[_("批量导入与复制")], auth=TOKEN_OR_SESSION)


class CopyIn(Schema):
    campaign: str | None = Field(
        None, pattern=SLUG, max_length=64, description=_("复制到的活动标识；不填为原推荐的活动")
    )
    category: str | None = Field(
        None,
        pattern=SLUG,
        max_length=64,
        description=_("复制到的类别标识；不填为该活动中与原推荐类别标识相同的类别"),
    )


class CopiedOut(Schema):
    nomination: NominationOut
    left_out: list[str] = Field(description=_("未复制的字段和照片，各带原因"))


class BatchIn(Schema):
    campaign: str = campaign_key_field()
    category: str = Field(pattern=SLUG, max_length=64, description=_("类别标识，如 volunteer"))
    unit: str | None = unit_code_field()
    save: bool = Field(False, description=_("true：全部无误时建立草稿；false：只检查"))


class BatchRowOut(Schema):
    row: int = Field(description=_("Excel中的行号"))
    name: str
    values: dict
    errors: list[str]


class BatchOut(Schema):
    ok: bool = Field(description=_("每一行都无误"))
    rows: list[BatchRowOut]
    created: list[NominationOut] = Field(description=_("已建立的草稿（save=true 且全部无误时）"))


def _campaign(key, field):
    campaign = Campaign.objects.filter(key=key).first()
    if campaign is None:
        raise Refused(CAMPAIGN_NOT_FOUND, field=field)
    return campaign


@router.post(
    "/{uid}/copy",
    response={201: CopiedOut, **refusals(400, 403, 404)},
    summary=_("复制为新草稿"),
    description=_(
        "把本单位的一项推荐（任何状态）复制为新草稿：本活动，或本单位参加、仍在报送期内的其他活动"
        "（如下一年度）。同标识的字段按新类别检查后复制，不符合的列在 left_out；照片在新类别"
        "张数和大小要求之内的复制；盖章扫描PDF不复制。"
    ),
)
def copy_nomination(request, uid: str, payload: CopyIn | None = None):
    nomination = nomination_for(request, uid)
    payload = payload or CopyIn()
    campaign = _campaign(payload.campaign, "campaign") if payload.campaign else None
    category = None
    if payload.category:
        category = category_of(campaign or nomination.campaign, payload.category, field="category")
    copied = services.copy_nomination(
        request.auth, nomination, campaign=campaign, category=category
    )
    return HttpStatus(201, {"nomination": fresh(copied.nomination), "left_out": copied.left_out})


@router.post(
    "/from-xlsx",
    response={200: BatchOut, 201: BatchOut, **refusals(400, 403, 404)},
    summary=_("从Excel批量新建草稿（multipart，字段名 file）"),
    description=_(
        "上传按该类别批量导入模板填写的 .xlsx（行数和大小有上限）：逐行检查，errors 按行和栏目"
        "列出问题。save=false（默认）只检查，不建立；save=true 且全部无误时一次建立全部草稿"
        "（201，草稿不占名额），有任何一行有误则一行也不建立（422）。"
    ),
)
def from_xlsx(request, file: File[UploadedFile], form: Form[BatchIn]):
    campaign, category, unit, save = form.campaign, form.category, form.unit, form.save
    found = _campaign(campaign, "campaign")
    chosen = category_of(found, category, field="category")
    owner = unit_for(request.auth, unit)
    require_permission(request.auth, "nominations.create_in_unit", owner)
    batch = read_workbook(chosen, file)
    rows = [
        {"row": row.number, "name": row.name, "values": row.values, "errors": row.errors}
        for row in batch.rows
    ]
    if not save:
        return {"ok": batch.ok, "rows": rows, "created": []}
    if not batch.ok:
        _refuse(batch)
    made = services.create_many(
        request.auth,
        campaign=found,
        category=chosen,
        unit=owner,
        rows=[(row.number, row.values) for row in batch.rows],
        source=file.name or "",
    )
    return HttpStatus(201, {"ok": True, "rows": rows, "created": [fresh(n) for n in made]})


def _refuse(batch):
    errors = {
        f"{row.number}.{index}": error
        for row in batch.rows
        for index, error in enumerate(row.errors)
    }
    raise Refused(
        gettext("有%(count)s处填写有误，未导入任何一行：%(first)s")
        % {"count": len(errors), "first": next(iter(errors.values()))},
        field="file",
        errors=errors,
    )
