"""The recommending unit's pages. Thin: parse, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuixuan.campaigns.configuration import configuration_of
from tuixuan.common import audit
from tuixuan.common.exceptions import Refused, RulesNotMet
from tuixuan.common.requests import checks_its_own_text
from tuixuan.units.notify import take_unread

from . import forms, portal, rows, services
from .attached import read_photos_and_attachments
from .downloads import photo_response, seal_crop_response, stamped_pdf_response
from .lookup import nomination_or_404
from .models import AttachmentKind, Status
from .reports import evaluate, problems, stamped_pdf_of, typed_invalid_errors
from .steps import steps_of


def _nomination(request, uid):
    """The nomination if this user may see it; otherwise 404, so that nothing is revealed."""
    return nomination_or_404(request.user, uid)


def _wants_json(request) -> bool:
    """The page's script (autosave.js) asks for JSON: an auto-save, or an upload it shows the
    progress of. The same views answer the plain form posts without it."""
    return request.headers.get("Accept", "").startswith("application/json")


def _saved_json(nomination, *, new=False) -> JsonResponse:
    """What an auto-save answers: when it saved (“已保存 10:32”) and the fields kept as typed
    that are wrong, each with its error; a new draft's address, for its next saves."""
    saved_at = timezone.localtime(nomination.updated_at)
    answer = {
        "saved_at": saved_at.isoformat(),
        "saved": _("已保存 %(time)s") % {"time": saved_at.strftime("%H:%M")},
        "problems": [
            {"field": key, "message": message}
            for key, message in typed_invalid_errors(nomination).items()
        ],
    }
    if new:
        answer["url"] = reverse("nominations:edit", args=[nomination.uid])
    return JsonResponse(answer)


def _refused_json(refused) -> JsonResponse:
    return JsonResponse({"error": refused.for_people}, status=400)


def _kept_as_typed(request, nomination):
    """After a save: the fields kept as typed and wrong, told above the page."""
    errors = typed_invalid_errors(nomination)
    if errors:
        messages.warning(
            request,
            _("有%(count)s处填写有误，已按原样保存为草稿；修改后才能提交。")
            % {"count": len(errors)},
        )


@login_required
def home(request):
    only = portal.only_participation(request.user)
    if only is not None:  # one unit's clerk, as most are: straight to its campaign page
        return redirect("nominations:campaign", *only)
    participations = list(portal.participations_of(request.user))
    organised = list(portal.campaigns_organised_by(request.user))
    reviewing = request.user.roles.filter(kind="reviewer").exists()
    return render(
        request,
        "nominations/home.html",
        {"participations": participations, "organised": organised, "reviewing": reviewing},
    )


@login_required
def campaign_home(request, campaign_key, unit_code):
    participation = portal.participation_or_404(request.user, campaign_key, unit_code)
    categories = portal.categories_of(participation)
    listed = portal.nominations_of(participation, categories)
    return render(
        request,
        "nominations/campaign.html",
        {
            "participation": participation,
            "campaign": participation.campaign,
            "unit": participation.unit,
            "uses": portal.quota_use(categories, listed),
            "nominations": listed,
            "rows": rows.nomination_rows(listed),
            "labels": rows.LABELS,
            "time_left": portal.time_left(participation),
            "returned": portal.returned(listed),
            "news": take_unread(request.user, participation.unit, participation.campaign),
        },
    )


@login_required
@checks_its_own_text
def create(request, campaign_key, unit_code, category_key):
    participation = portal.participation_or_404(request.user, campaign_key, unit_code)
    category = configuration_of(participation.campaign).category(category_key)
    if category is None:
        raise Http404
    page = {
        "participation": participation,
        "campaign": participation.campaign,
        "unit": participation.unit,
        "category": category,
        "steps": steps_of(None, category),
        "editable": True,
    }
    if request.method != "POST":  # the blank form, the same for everyone: drawn once
        fields = forms.blank_fields_html(category)
        no_problems = _problems_and_groups(None, category)
        return render(
            request, "nominations/form.html", {**page, **no_problems, "blank_fields": fields}
        )
    try:
        nomination = services.create_nomination(
            request.user,
            campaign=participation.campaign,
            category=category,
            unit=participation.unit,
            values=forms.posted(category.fields.all(), request.POST),
            keep_invalid=True,
        )
    except Refused as refused:
        if _wants_json(request):
            return _refused_json(refused)
        messages.error(request, refused.for_people)
        form = forms.NominationForm.of(category, data=request.POST)  # drawn as posted
        problems_and_groups = _problems_and_groups(form, category, refused=refused)
        return render(request, "nominations/form.html", {**page, **problems_and_groups}, status=400)
    if _wants_json(request):
        return _saved_json(nomination, new=True)
    messages.success(request, _("已保存草稿。可继续填写、上传照片，检查无误后提交。"))
    _kept_as_typed(request, nomination)
    return redirect("nominations:edit", nomination.uid)


def _problems_and_groups(form, category, *, refused=None, report=None, typed_invalid=None) -> dict:
    """The page's list of problems and the form's fields, each field with its own problems
    (``form`` None: the blank form, drawn apart)."""
    found = problems(
        category.fields.all(), refused=refused, report=report, typed_invalid=typed_invalid
    )
    return {
        "problems": found,
        "groups": form.groups(found) if form is not None else [],
        "photo_problems": [p for p in found if p.field == "photos"],
        "pdf_problems": [p for p in found if p.field == "stamped_pdf"],
    }


def _configured(nomination):
    """``nomination`` with its category as its campaign's configuration holds it, fields read
    (the form, its problems, its steps, the save and the report read them), and its campaign
    handed the criteria (the report, the rule marks): read once per revision of the campaign in
    this process (``campaigns.configuration``), not on every request."""
    configured = configuration_of(nomination.campaign)
    nomination.category = configured.category(pk=nomination.category_id)
    return nomination


def _read_once(nomination):
    """What the nomination's page reads of it, each once: its configuration (``_configured``),
    its photos and attachments (the steps, the report and the upload sections:
    ``attached.read_photos_and_attachments``)."""
    _configured(nomination)
    read_photos_and_attachments(nomination)


def _edit_page(request, nomination, *, form=None, report=None, refused=None, status=200):
    """The nomination's page: its form as stored, or ``form`` as just posted and refused;
    ``refused`` and ``report`` are what the last action found wrong."""
    _read_once(nomination)
    if form is None:
        form = forms.NominationForm.of(
            nomination.category, initial={**nomination.values, **nomination.typed_invalid}
        )
    editable = request.user.has_perm("nominations.edit_now", nomination)
    returned = None
    if nomination.status == Status.RETURNED:
        returned = audit.newest(nomination, "nomination.return")
    return render(
        request,
        "nominations/form.html",
        {
            "nomination": nomination,
            "campaign": nomination.campaign,
            "category": nomination.category,
            "unit": nomination.unit,
            **_problems_and_groups(
                form,
                nomination.category,
                refused=refused,
                report=report,
                typed_invalid=typed_invalid_errors(nomination),
            ),
            "editable": editable,
            "steps": steps_of(nomination, report=report),
            "photos": nomination.photos.all(),
            "stamped_pdf": stamped_pdf_of(nomination),
            "report": report,
            "returned": returned,
            "withdrawable": request.user.has_perm("nominations.withdraw_now", nomination),
        },
        status=status,
    )


@login_required
@checks_its_own_text
def edit(request, uid):
    nomination = _nomination(request, uid)
    if request.method != "POST":
        return _edit_page(request, nomination)
    _configured(nomination)  # the form's fields, the save's
    try:
        action = forms.EditActionForm(request.POST).chosen()
        values = forms.posted(nomination.category.fields.all(), request.POST)
        nomination = services.update_nomination(request.user, nomination, values, keep_invalid=True)
    except Refused as refused:
        if _wants_json(request):
            return _refused_json(refused)
        messages.error(request, refused.for_people)
        form = forms.NominationForm.of(nomination.category, data=request.POST)  # as posted
        return _edit_page(request, nomination, form=form, refused=refused, status=400)
    if _wants_json(request):
        return _saved_json(nomination)
    if action == "check":
        _read_once(nomination)  # the saved one, read once for the report and the page after it
        report = evaluate(nomination)
        if report.passed:
            messages.success(request, _("已保存。检查通过，可以提交。"))
        else:
            messages.warning(
                request,
                _("已保存。有%(failures)s项不符合推荐条件，请按提示修改。")
                % {"failures": len(report.failures)},
            )
        return _edit_page(request, nomination, report=report)
    if action == "submit":
        try:
            services.submit(request.user, nomination)
        except RulesNotMet as refused:
            messages.error(request, refused.for_people)
            return _edit_page(request, nomination, report=refused.report, status=400)
        except Refused as refused:
            return _refused(request, nomination, refused)
        messages.success(request, _("“%(name)s”已提交。") % {"name": nomination.name})
        return redirect("nominations:campaign", nomination.campaign.key, nomination.unit.code)
    messages.success(request, _("已保存草稿。"))
    _kept_as_typed(request, nomination)
    return redirect("nominations:edit", nomination.uid)


def _refused(request, nomination, refused):
    """The nomination's page again, the refusal above it and in the list of problems, answered
    400: nothing was changed."""
    messages.error(request, refused.for_people)
    return _edit_page(request, nomination, refused=refused, status=400)


def _nothing_chosen(nomination, check_kind) -> Refused:
    """An upload posted without its file, refused citing the rule about that file."""
    message = {"photos": _("请选择要上传的照片。"), "stamped_pdf": _("请选择盖章扫描PDF文件。")}
    rule_id = nomination.campaign.rule_id_for(check_kind)
    return Refused(message[check_kind], rule_id=rule_id)


@login_required
@require_POST
def withdraw(request, uid):
    nomination = _nomination(request, uid)
    try:
        reason = forms.WithdrawForm(request.POST).refused_or_cleaned()["reason"]
        services.withdraw(request.user, nomination, reason=reason)
    except Refused as refused:
        return _refused(request, nomination, refused)
    messages.success(
        request, _("“%(name)s”已撤回，名额已释放。") % {"name": nomination.name or _("推荐")}
    )
    return redirect("nominations:campaign", nomination.campaign.key, nomination.unit.code)


@login_required
@require_POST
def upload_photos(request, uid):
    nomination = _nomination(request, uid)
    uploads = request.FILES.getlist("photos")
    if not uploads:
        return _refused_upload(request, nomination, _nothing_chosen(nomination, "photos"))
    refused_any = False
    for upload in uploads:
        try:
            services.add_photo(request.user, nomination, upload)
        except Refused as refused:
            if _wants_json(request):  # the script sends one photo at a time
                return _refused_json(refused)
            refused_any = True
            messages.error(request, refused.for_people)
        else:
            messages.success(request, _("已上传照片“%(name)s”。") % {"name": upload.name})
    if refused_any:
        return _edit_page(request, nomination, status=400)
    return _uploaded(request, nomination, "#photos")


def _refused_upload(request, nomination, refused):
    if _wants_json(request):
        return _refused_json(refused)
    return _refused(request, nomination, refused)


def _uploaded(request, nomination, section):
    """After an upload: back to its section of the page (the script goes there itself once
    its uploads are done, the message kept for that page)."""
    url = reverse("nominations:edit", args=[nomination.uid]) + section
    if _wants_json(request):
        return JsonResponse({"next": url})
    return redirect(url)


def _photo(nomination, pk):
    return get_object_or_404(nomination.photos, pk=pk)


@login_required
@require_POST
def delete_photo(request, uid, pk):
    nomination = _nomination(request, uid)
    try:
        services.remove_photo(request.user, _photo(nomination, pk))
    except Refused as refused:
        return _refused(request, nomination, refused)
    messages.success(request, _("已删除照片。"))
    return redirect(reverse("nominations:edit", args=[nomination.uid]) + "#photos")


@login_required
@require_POST
def move_photo(request, uid, pk):
    nomination = _nomination(request, uid)
    try:
        offset = forms.MovePhotoForm(request.POST).offset()
        services.move_photo(request.user, _photo(nomination, pk), offset=offset)
    except Refused as refused:
        return _refused(request, nomination, refused)
    return redirect(reverse("nominations:edit", args=[nomination.uid]) + "#photos")


@login_required
def photo_file(request, uid, pk):
    """The photo: for the unit, the organiser and assigned experts (never public).

    Experts get the smaller copy without EXIF (a camera's GPS position is the unit's and the
    organiser's to see), and so does ``?preview=1``, so a page of thumbnails on a phone does
    not download megabytes of originals; the thumbnail links to the original.
    """
    nomination = nomination_or_404(
        request.user, uid, "nominations.see_photos", message=_("没有找到该照片。")
    )
    photo = _photo(nomination, pk)
    return photo_response(
        photo,
        original=not request.GET.get("preview")
        and request.user.has_perm("nominations.see", nomination),
    )


@login_required
@require_POST
def upload_pdf(request, uid):
    nomination = _nomination(request, uid)
    upload = request.FILES.get("stamped_pdf")
    if upload is None:
        return _refused_upload(request, nomination, _nothing_chosen(nomination, "stamped_pdf"))
    try:
        services.attach_stamped_pdf(request.user, nomination, upload)
    except Refused as refused:
        return _refused_upload(request, nomination, refused)
    messages.success(request, _("已上传盖章扫描PDF。"))
    return _uploaded(request, nomination, "#stamped-pdf")


@login_required
def pdf_file(request, uid):
    nomination = _nomination(request, uid)
    attachment = get_object_or_404(nomination.attachments, kind=AttachmentKind.STAMPED_PDF)
    return stamped_pdf_response(attachment)


@login_required
def seal_crop(request, uid):
    """The part of the scan where the seal search found its mark (nominating unit, organiser)."""
    nomination = _nomination(request, uid)
    attachment = get_object_or_404(nomination.attachments, kind=AttachmentKind.STAMPED_PDF)
    return seal_crop_response(attachment)
