"""Photos and the stamped PDF of a nomination: multipart uploads through the same services.

Each upload is checked exactly as on the unit's page: a real JPEG or PNG within the campaign's
size bounds and count, a PDF that opens; a refusal is a 422 naming the rule. Another
unit's nomination is "not found" (404). The assigned experts may list and fetch the photos (never
the stamped form, which carries the unit's contact details), as on their scoring page.
"""

from django.utils.translation import gettext_lazy as _
from ninja import File, Router, UploadedFile
from ninja.responses import Status as HttpStatus

from tuixuan.nominations import services
from tuixuan.nominations.downloads import photo_response, stamped_pdf_response
from tuixuan.nominations.models import AttachmentKind

from ..auth import TOKEN_OR_SESSION
from ..common import binary, found, nomination_for, refusals
from ..schemas import AttachmentOut, MoveIn, PhotoOut

router = Router(tags=[_("照片与盖章PDF")], auth=TOKEN_OR_SESSION)

PHOTO_NOT_FOUND = _("没有找到该照片。")
PDF_NOT_FOUND = _("尚未上传盖章扫描PDF。")


def _photos(nomination):
    return list(nomination.photos.all())


def _photo(nomination, photo_id):
    photo = found(nomination.photos.all(), PHOTO_NOT_FOUND, pk=photo_id)
    photo.nomination = nomination
    return photo


def _stamped(nomination):
    return found(nomination.attachments.all(), PDF_NOT_FOUND, kind=AttachmentKind.STAMPED_PDF)


@router.get(
    "/{uid}/photos",
    response={200: list[PhotoOut], **refusals(404)},
    summary=_("推荐的照片（按推荐表中的顺序）"),
    description=_("推荐单位、组织方和分配到该推荐的评审专家可查看。"),
)
def list_photos(request, uid: str):
    return _photos(nomination_for(request, uid, "nominations.see_photos"))


@router.post(
    "/{uid}/photos",
    response={201: PhotoOut, **refusals(400, 403, 404)},
    summary=_("上传一张照片（multipart，字段名 file）"),
    description=_(
        "与网页相同的检查：须为可打开的 JPEG 或 PNG，单张大小和张数在活动规定之内；"
        "不符合时返回 422，rule_id 为活动文件中照片条件的编号。仅草稿或退回修改状态可上传。"
    ),
)
def upload_photo(request, uid: str, file: File[UploadedFile]):
    return HttpStatus(201, services.add_photo(request.auth, nomination_for(request, uid), file))


@router.get(
    "/{uid}/photos/{photo_id}",
    response=refusals(404),
    openapi_extra=binary(_("照片（评审专家得到不含 EXIF 的缩小副本）"), "image/jpeg", "image/png"),
    summary=_("下载照片"),
)
def photo_file(request, uid: str, photo_id: int):
    nomination = nomination_for(request, uid, "nominations.see_photos", PHOTO_NOT_FOUND)
    photo = _photo(nomination, photo_id)
    return photo_response(photo, original=request.auth.has_perm("nominations.see", nomination))


@router.delete(
    "/{uid}/photos/{photo_id}",
    response={200: list[PhotoOut], **refusals(403, 404)},
    summary=_("删除一张照片"),
    description=_("返回删除后余下的照片。"),
)
def delete_photo(request, uid: str, photo_id: int):
    nomination = nomination_for(request, uid)
    services.remove_photo(request.auth, _photo(nomination, photo_id))
    return _photos(nomination)


@router.post(
    "/{uid}/photos/{photo_id}/move",
    response={200: list[PhotoOut], **refusals(400, 403, 404)},
    summary=_("调整照片顺序"),
    description=_("direction：up 前移一位，down 后移一位；已在最前或最后时不变。返回全部照片。"),
)
def move_photo(request, uid: str, photo_id: int, payload: MoveIn):
    nomination = nomination_for(request, uid)
    offset = -1 if payload.direction == "up" else 1
    services.move_photo(request.auth, _photo(nomination, photo_id), offset=offset)
    return _photos(nomination)


@router.get(
    "/{uid}/stamped-pdf",
    response={200: AttachmentOut, **refusals(404)},
    summary=_("盖章扫描PDF的信息"),
)
def stamped_pdf(request, uid: str):
    return _stamped(nomination_for(request, uid))


@router.get(
    "/{uid}/stamped-pdf/file",
    response=refusals(404),
    openapi_extra=binary(_("盖章扫描PDF"), "application/pdf"),
    summary=_("下载盖章扫描PDF"),
)
def stamped_pdf_file(request, uid: str):
    return stamped_pdf_response(_stamped(nomination_for(request, uid)))


@router.post(
    "/{uid}/stamped-pdf",
    response={201: AttachmentOut, **refusals(400, 403, 404)},
    summary=_("上传盖章扫描PDF（multipart，字段名 file）"),
    description=_(
        "与网页相同的检查：须为可打开、未加密的PDF，大小不超过活动规定；"
        "不符合时返回 422，rule_id 为活动文件中盖章扫描PDF条件的编号。再次上传即替换原文件。"
    ),
)
def upload_stamped_pdf(request, uid: str, file: File[UploadedFile]):
    stamped = services.attach_stamped_pdf(request.auth, nomination_for(request, uid), file)
    return HttpStatus(201, stamped)
