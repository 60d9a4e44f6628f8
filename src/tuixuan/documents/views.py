"""Downloads of generated forms, and the organiser's export page with its progress."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import CAMPAIGN_NOT_FOUND, get_permitted_or_404
from tuixuan.nominations.lookup import nomination_or_404
from tuixuan.nominations.models import Status

from . import forms, services
from .docx import DOCX_TYPE, nomination_docx
from .lookup import export_file_response, export_or_404
from .models import ExportKind, ExportState

DEFAULT_STATUSES = [Status.SHORTLISTED, Status.ANNOUNCED, Status.FORWARDED]


def _nomination(request, uid):
    return nomination_or_404(request.user, uid, "documents.download_form")


def _attachment(content, content_type, filename, *, inline=False):
    """The file as a download, or ``inline`` shown in the browser's own viewer (打印预览)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(filename)}"
    if inline:  # Chrome shows a PDF through its viewer plugin, which object-src 'none' forbids
        response._csp_config = {**settings.SECURE_CSP, "object-src": [CSP.SELF]}
    response["Cache-Control"] = "private, no-store"
    return response


def _form_name(nomination, suffix):
    return f"{nomination.category.form_title}-{nomination.name or '未命名'}.{suffix}"


@login_required
def form_docx(request, uid):
    nomination = _nomination(request, uid)
    return _attachment(nomination_docx(nomination), DOCX_TYPE, _form_name(nomination, "docx"))


@login_required
def form_pdf(request, uid):
    from .pdf import nomination_pdf  # noqa: PLC0415 — WeasyPrint takes a second to import; only PDF work pays it

    nomination = _nomination(request, uid)
    return _attachment(
        nomination_pdf(nomination),
        "application/pdf",
        _form_name(nomination, "pdf"),
        inline=request.GET.get("view") == "inline",  # 打印预览: opened in a tab of its own
    )


def _organised(request, campaign_key):
    return get_permitted_or_404(
        Campaign.objects,
        request.user,
        "documents.export",
        message=CAMPAIGN_NOT_FOUND,
        key=campaign_key,
    )


@login_required
def exports(request, campaign_key):
    campaign = _organised(request, campaign_key)
    status = 200
    if request.method == "POST":
        try:
            chosen = forms.ExportForm(request.POST).refused_or_cleaned()
            export = services.start_export(request.user, campaign, **chosen)
        except Refused as refused:
            messages.error(request, refused.for_people)
            status = 400
        else:
            messages.success(request, _("已开始生成，完成后可在下方下载。"))
            return redirect("documents:export", export.pk)
    campaign.exports.take_over_stale()
    return render(
        request,
        "documents/exports.html",
        {
            "campaign": campaign,
            "exports": campaign.exports.select_related("requested_by")[:30],
            "kinds": ExportKind.choices,
            "statuses": [
                {"value": value, "label": label, "checked": value in DEFAULT_STATUSES}
                for value, label in Status.choices
            ],
        },
        status=status,
    )


def _export(request, pk):
    return export_or_404(request.user, pk)


@login_required
def export_detail(request, pk):
    export = _export(request, pk)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "state": export.state,
                "state_label": export.get_state_display(),
                "done": export.done,
                "total": export.total,
                "percent": export.percent,
                "ready": export.state == ExportState.DONE,
            }
        )
    return render(request, "documents/export.html", {"export": export, "campaign": export.campaign})


@login_required
def export_download(request, pk):
    export = _export(request, pk)
    if export.state != ExportState.DONE or not export.file:
        raise Http404(_("文件尚未生成。"))
    return export_file_response(export)


@login_required
@require_POST
def export_retry(request, pk):
    export = _export(request, pk)
    try:
        again = services.retry_export(request.user, export)
    except Refused as refused:
        messages.error(request, refused.for_people)
        return redirect("documents:export", export.pk)
    messages.success(request, _("已重新开始生成。"))
    return redirect("documents:export", again.pk)
