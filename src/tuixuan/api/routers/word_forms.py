"""A filled Word 推荐表 (.docx) read into a draft: the preview, or with ``save`` the draft itself.

The same reading as the unit's page (``documents/reading_docx.py``): the category from the form's
title unless named, every recognised field cleaned by its kind (an invalid value is reported in
``invalid`` and left out), the embedded photos checked against the campaign's bounds, the rest
listed in ``unrecognised``. Nothing is stored unless ``save`` is true.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Field, File, Form, Router, Schema, UploadedFile
from ninja.responses import Status as HttpStatus

from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import require_permission
from tuixuan.documents.reading_docx import read_form, read_upload, save_draft

from ..auth import TOKEN_OR_SESSION
from ..common import CAMPAIGN_NOT_FOUND, category_of, fresh, refusals
from ..filling import unit_for
from ..schemas import SLUG, NominationOut, campaign_key_field, unit_code_field

# Registered before the nominations' own router: "/from-docx" must not be taken for a uid.
router = Router(tags=[_("推荐")], auth=TOKEN_OR_SESSION)


class FromDocxIn(Schema):
    campaign: str = campaign_key_field()
    unit: str | None = unit_code_field()
    category: str | None = Field(
        None,
        pattern=SLUG,
        max_length=64,
        description=_("类别标识；不填时按推荐表标题识别"),
    )
    save: bool = Field(False, description=_("为 true 时按识别结果新建草稿；否则只返回预览"))


class DocxPhotoOut(Schema):
    name: str
    content_type: str
    size: int = Field(description=_("字节数"))
    accepted: bool = Field(description=_("是否符合照片要求、可导入"))
    problem: str = Field(description=_("不能导入的原因"))


class DocxPreviewOut(Schema):
    category: str = Field(description=_("类别标识"))
    values: dict[str, Any] = Field(description=_("识别并通过检查的填报内容，按字段标识"))
    invalid: dict[str, str] = Field(description=_("识别出但不符合字段要求的内容：按字段标识的说明"))
    photos: list[DocxPhotoOut]
    unrecognised: list[str] = Field(description=_("文件中未能对应到任何字段的内容"))


class DocxImportedOut(DocxPreviewOut):
    nomination: NominationOut


def _preview(reading) -> dict:
    return {
        "category": reading.category.key,
        "values": reading.values,
        "invalid": reading.invalid,
        "photos": [
            {
                "name": photo.name,
                "content_type": photo.content_type,
                "size": len(photo.data),
                "accepted": photo.accepted,
                "problem": photo.problem,
            }
            for photo in reading.photos
        ],
        "unrecognised": reading.unrecognised,
    }


@router.post(
    "/from-docx",
    response={200: DocxPreviewOut, 201: DocxImportedOut, **refusals(400, 403, 404)},
    summary=_("从Word推荐表导入（multipart，字段名 file）"),
    description=_(
        "读取已填写的推荐表（.docx）：本系统生成的推荐表，或按通知附件在 Word/WPS 中填写的表格或"
        "“项目：内容”段落。返回识别出的内容、不符合要求的内容（invalid）、照片及未识别的内容；"
        "save 为 true 时以通过检查的内容和照片新建草稿（201）。不是 .docx、压缩炸弹、未知类别或"
        "无法识别标题时返回 422，不保存任何内容。"
    ),
)
def from_docx(request, file: File[UploadedFile], payload: Form[FromDocxIn]):
    campaign = Campaign.objects.filter(key=payload.campaign).first()
    if campaign is None:
        raise Refused(str(CAMPAIGN_NOT_FOUND), field="campaign")
    category = (
        category_of(campaign, payload.category, field="category") if payload.category else None
    )
    unit = unit_for(request.auth, payload.unit)
    require_permission(request.auth, "nominations.create_in_unit", unit)
    reading = read_form(read_upload(file), campaign, category)
    if not payload.save:
        return _preview(reading)
    nomination = save_draft(request.auth, reading, campaign=campaign, unit=unit)
    return HttpStatus(201, {**_preview(reading), "nomination": fresh(nomination)})
