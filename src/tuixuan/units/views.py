"""The organiser's page of the units taking part: each unit's deadline, and extensions (G2)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuixuan.campaigns.models import Campaign
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import CAMPAIGN_NOT_FOUND, get_permitted_or_404
from tuixuan.common.models import AuditEvent

from . import services
from .forms import ExtensionForm


@login_required
def extensions(request, campaign_key):
    campaign = get_permitted_or_404(
        Campaign.objects,
        request.user,
        "review.office",
        message=CAMPAIGN_NOT_FOUND,
        key=campaign_key,
    )
    participations = campaign.participations.select_related("unit", "campaign")
    refused, status = None, 200
    if request.method == "POST":
        try:
            posted = ExtensionForm(request.POST).refused_or_cleaned()
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
