"""The unit's import of a filled Word 推荐表: upload → preview → 确认导入 (a draft) or 取消.

Thin: the reading, the holding of the file between the two steps and the draft are
``reading_docx``'s; nothing is stored until the clerk confirms.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import require_permission
from tuixuan.nominations import portal

from .forms import DocxConfirmForm, DocxImportForm
from .reading_docx import held, hold, read_form, read_upload, release, save_draft


def _page(request, template, participation, status=200, **context):
    return render(
        request,
        template,
        {"campaign": participation.campaign, "unit": participation.unit, **context},
        status=status,
    )


@login_required
def docx_import(request, campaign_key, unit_code):
    participation = portal.participation_or_404(request.user, campaign_key, unit_code)
    campaign = participation.campaign
    form = DocxImportForm(campaign, request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _page(request, "documents/docx_import.html", participation, form=form)
    try:
        cleaned = form.refused_or_cleaned()
        require_permission(request.user, "nominations.create_in_unit", participation.unit)
        data = read_upload(cleaned["file"])
        chosen = cleaned["category"]
        category = campaign.categories.get(key=chosen) if chosen else None
        reading = read_form(data, campaign, category)
    except Refused as refused:
        messages.error(request, refused.for_people)
        return _page(
            request,
            "documents/docx_import.html",
            participation,
            status=400,
            form=form,
            refused=refused,
        )
    token = hold(request.user, data)
    url = reverse("documents:docx_preview", args=[campaign.key, participation.unit.code, token])
    return redirect(f"{url}?category={reading.category.key}")


@login_required
def docx_preview(request, campaign_key, unit_code, token):
    participation = portal.participation_or_404(request.user, campaign_key, unit_code)
    campaign = participation.campaign
    data = held(request.user, token)
    key = request.POST.get("category") or request.GET.get("category") or ""
    category = campaign.categories.filter(key=key).first() if key else None
    if key and category is None:
        raise Http404(_("没有找到该类别。"))
    try:
        reading = read_form(data, campaign, category)
    except Refused as refused:  # only if the reading rules changed since the upload
        release(request.user, token)
        messages.error(request, refused.for_people)
        return redirect("documents:docx_import", campaign.key, participation.unit.code)
    status = 200
    if request.method == "POST":
        try:
            action = DocxConfirmForm(request.POST).refused_or_cleaned()["action"]
            if action == "cancel":
                release(request.user, token)
                messages.info(request, _("已取消导入，未保存任何内容。"))
                return redirect("nominations:campaign", campaign.key, participation.unit.code)
            nomination = save_draft(
                request.user, reading, campaign=campaign, unit=participation.unit
            )
        except Refused as refused:
            messages.error(request, refused.for_people)
            status = 400
        else:
            release(request.user, token)
            messages.success(
                request, _("已从Word推荐表导入为草稿。请核对内容、补充未识别的项目后提交。")
            )
            return redirect("nominations:edit", nomination.uid)
    return _page(
        request,
        "documents/docx_preview.html",
        participation,
        status=status,
        reading=reading,
        category=reading.category,
        rows=list(reading.rows()),
        token=token,
    )
