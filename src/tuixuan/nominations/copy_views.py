"""Copying a nomination as a new draft (this campaign, or next year's): choose where, copy."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuixuan.common.exceptions import Refused

from . import forms, services
from .lookup import nomination_or_404


@login_required
def copy(request, uid):
    nomination = nomination_or_404(request.user, uid)
    if not request.user.has_perm("nominations.create_in_unit", nomination.unit):
        raise PermissionDenied(_("只有推荐单位可以复制本单位的推荐。"))
    targets = services.copy_targets(nomination)
    form = forms.CopyForm(targets, request.POST or None)
    status = 200
    if request.method == "POST":
        try:
            campaign, category = form.chosen()
            copied = services.copy_nomination(
                request.user, nomination, campaign=campaign, category=category
            )
        except Refused as refused:
            messages.error(request, refused.for_people)
            status = 400
        else:
            messages.success(
                request,
                _("已复制为新草稿（未复制盖章扫描PDF，请用新推荐表重新盖章上传）。"),
            )
            for line in copied.left_out:
                messages.warning(request, _("未复制：%(what)s") % {"what": line})
            return redirect("nominations:edit", copied.nomination.uid)
    return render(
        request,
        "nominations/copy.html",
        {
            "nomination": nomination,
            "campaign": nomination.campaign,
            "unit": nomination.unit,
            "form": form,
            "targets": form.fields["target"].choices,
        },
        status=status,
    )
