"""The person's own page: the e-mail address notifications are mailed to, and a mobile number."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tuixuan.common.exceptions import Refused

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
