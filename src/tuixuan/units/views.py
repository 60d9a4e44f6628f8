"""The units' pages: a person's own page (the e-mail address notifications are mailed to, and a
mobile number), and the organiser's page of the units taking part (each unit's deadline, and
extensions)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuixuan.campaigns.lookup import campaign_by_key
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import CAMPAIGN_NOT_FOUND, permitted_or_404
from tuixuan.common.models import AuditEvent

from . import forms, services
from .models import Profile, RoleKind


@login_required
def profile(request):
    user = request.user
    saved = Profile.objects.filter(user=user).first()
    values = {"email": user.email, "mobile": saved.mobile if saved else ""}
    errors, status = {}, 200
    if request.method == "POST":
        form = forms.ContactForm(request.POST)
        try:
            cleaned = form.refused_or_cleaned()
        except Refused as refused:
            messages.error(request, refused.for_people)
            errors, status = refused.errors, 400
            values = {name: form.data.get(name, "") for name in values}  # as typed
        else:
            services.set_contact(user, email=cleaned["email"], mobile=cleaned["mobile"])
            messages.success(request, _("已保存个人信息。"))
            return redirect("units:profile")
    units = [
        role.unit for role in user.roles.filter(kind=RoleKind.UNIT_MEMBER).select_related("unit")
    ]
    return render(
        request,
        "units/profile.html",
        {"values": values, "errors": errors, "units": units},
        status=status,
    )


@login_required
def extensions(request, campaign_key):
    campaign = permitted_or_404(
        lambda: campaign_by_key(campaign_key),
        request.user,
        "review.office",
        message=CAMPAIGN_NOT_FOUND,
    )
    participations = campaign.participations.select_related("unit", "campaign")
    refused, status = None, 200
    if request.method == "POST":
        try:
            posted = forms.ExtensionForm(request.POST).refused_or_cleaned()
            participation = participations.filter(unit__code=posted["unit"]).first()
            if participation is None:
                raise Refused(_("没有找到该推荐单位。"), field="unit")
            services.extend_deadline(
                request.user, participation, until=posted["until"], reason=posted["reason"]
            )
        except Refused as error:
            refused, status = error, 422
        else:
            granted = _("已批准“%(unit)s”延期。")
            done = granted if posted["until"] else _("已取消“%(unit)s”的延期。")
            messages.success(request, done % {"unit": participation.unit.name})
            return redirect("units:extensions", campaign.key)
    history = AuditEvent.objects.filter(campaign=campaign, action="participation.extend")
    return render(
        request,
        "units/extensions.html",
        {
            "campaign": campaign,
            "participations": participations.order_by("unit__name", "pk"),
            "refused": refused,
            "posted": request.POST if refused else {},
            "history": history.select_related("actor").order_by("-at", "-pk")[:30],
        },
        status=status,
    )
