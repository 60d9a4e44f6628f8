"""The unit's batch import: download a category's template, upload it filled, see every row and
every problem, then create the drafts in one go (all or none)."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuixuan.common.exceptions import Refused
from tuixuan.nominations import portal, services

from . import forms
from .batch import MAX_ROWS, XLSX_TYPE, read_workbook, template_name, template_workbook

SIGNED_FOR = 3600  # seconds a preview may be confirmed


def _salt(request, participation):
    return f"batch:{request.user.pk}:{participation.pk}"


@login_required
def batch_template(request, campaign_key, unit_code, category_key):
    participation = portal.participation_or_404(request.user, campaign_key, unit_code)
    category = get_object_or_404(participation.campaign.categories, key=category_key)
    response = HttpResponse(template_workbook(category), content_type=XLSX_TYPE)
    disposition = f"attachment; filename*=UTF-8''{quote(template_name(category))}"
    response["Content-Disposition"] = disposition
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request, participation, *, batch=None, chosen="", refused=None, token="", status=200):
    return render(
        request,
        "documents/batch.html",
        {
            "participation": participation,
            "campaign": participation.campaign,
            "unit": participation.unit,
            "categories": participation.campaign.categories.all(),
            "chosen": chosen,
            "batch": batch,
            "refused": refused,
            "token": token,
            "most": MAX_ROWS,
        },
        status=status,
    )


@login_required
def batch_import(request, campaign_key, unit_code):
    """GET: the upload form. POST: the preview of the uploaded workbook (nothing created)."""
    participation = portal.participation_or_404(request.user, campaign_key, unit_code)
    campaign = participation.campaign
    if request.method != "POST":
        return _page(request, participation, chosen=request.GET.get("category", ""))
    categories = list(campaign.categories.all())
    form = forms.BatchUploadForm(categories, request.POST, request.FILES)
    chosen = request.POST.get("category", "")
    try:
        cleaned = form.refused_or_cleaned()
        category = next(c for c in categories if c.key == cleaned["category"])
        batch = read_workbook(category, cleaned["workbook"])
    except Refused as refused:
        messages.error(request, refused.for_people)
        return _page(request, participation, chosen=chosen, refused=refused, status=400)
    if not batch.ok:
        return _page(request, participation, batch=batch, chosen=category.key, status=400)
    payload = {
        "category": category.pk,
        "file": cleaned["workbook"].name[:255],
        "rows": [[row.number, row.values] for row in batch.rows],
    }
    token = signing.dumps(payload, salt=_salt(request, participation), compress=True)
    return _page(request, participation, batch=batch, chosen=category.key, token=token)


@login_required
@require_POST
def batch_create(request, campaign_key, unit_code):
    participation = portal.participation_or_404(request.user, campaign_key, unit_code)
    campaign = participation.campaign
    try:
        token = forms.BatchCreateForm(request.POST).refused_or_cleaned()["rows"]
        try:
            payload = signing.loads(token, salt=_salt(request, participation), max_age=SIGNED_FOR)
        except signing.BadSignature:
            raise Refused(_("预览已过期或已失效，请重新上传文件。"), field="workbook") from None
        category = get_object_or_404(campaign.categories, pk=payload["category"])
        made = services.create_many(
            request.user,
            campaign=campaign,
            category=category,
            unit=participation.unit,
            rows=[(number, values) for number, values in payload["rows"]],
            source=payload.get("file", ""),
        )
    except Refused as refused:
        messages.error(request, refused.for_people)
        return _page(request, participation, refused=refused, status=400)
    messages.success(
        request,
        _("已从Excel导入%(count)s份“%(category)s”草稿。照片和盖章扫描PDF请在各草稿中上传。")
        % {"count": len(made), "category": category.name},
    )
    return redirect("nominations:campaign", campaign.key, participation.unit.code)
