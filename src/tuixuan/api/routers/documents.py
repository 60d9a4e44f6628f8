"""The nomination's official form as Word or PDF: for its unit and the organiser only.

The same generators as the pages' download links (``documents/docx.py``, ``documents/pdf.py``) and
the same permission (``documents.download_form``); anyone else is told "not found".
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Router

from tuixuan.documents.docx import DOCX_TYPE, nomination_docx

from ..auth import TOKEN_OR_SESSION
from ..common import attachment, binary, nomination_for, refusals

router = Router(tags=[_("推荐表")], auth=TOKEN_OR_SESSION)


def _form_name(nomination, suffix):
    name = nomination.name or gettext("未命名")
    return f"{nomination.category.form_title}-{name}.{suffix}"


@router.get(
    "/{uid}/form.docx",
    response=refusals(404),
    openapi_extra=binary(_("推荐表（Word）"), DOCX_TYPE),
    summary=_("推荐表（Word）"),
)
def form_docx(request, uid: str):
    nomination = nomination_for(request, uid, "documents.download_form")
    return attachment(nomination_docx(nomination), DOCX_TYPE, _form_name(nomination, "docx"))


@router.get(
    "/{uid}/form.pdf",
    response=refusals(404),
    openapi_extra=binary(_("推荐表（PDF）"), "application/pdf"),
    summary=_("推荐表（PDF）"),
)
def form_pdf(request, uid: str):
    from tuixuan.documents.pdf import nomination_pdf  # noqa: PLC0415 — WeasyPrint takes a second to import; only PDF work pays it

    nomination = nomination_for(request, uid, "documents.download_form")
    return attachment(nomination_pdf(nomination), "application/pdf", _form_name(nomination, "pdf"))
