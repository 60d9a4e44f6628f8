"""The expert's pages: their assignments, and scoring one without any contact details."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import get_permitted_or_404
from tuixuan.documents.rows import form_rows

from . import forms, services
from .models import Assignment


def _assignment(request, pk):
    return get_permitted_or_404(
        Assignment.objects.select_related("nomination__category", "nomination__campaign"),
        request.user,
        "review.score",
        message=_("没有找到该评审任务。"),
        pk=pk,
    )


@login_required
def assignments(request):
    mine = (
        Assignment.objects.filter(reviewer=request.user)
        .select_related("nomination__category", "nomination__campaign")
        .order_by("scored_at", "pk")
    )
    return render(request, "review/assignments.html", {"assignments": mine})


def _score_page(request, assignment, *, posted=None, errors=None, status=200):
    """The scoring page; after a refusal, ``posted`` (the form's data) fills it in again."""
    nomination = assignment.nomination
    given = {score.item_id: score.value for score in assignment.scores.all()}
    posted = posted or {}
    rubric = [
        {
            "item": item,
            "value": posted.get(item.key, given.get(item.pk, "")),
            "error": (errors or {}).get(item.key, ""),
        }
        for item in nomination.category.rubric.all()
    ]
    return render(
        request,
        "review/score.html",
        {
            "assignment": assignment,
            "nomination": nomination,
            # Experts never see 联系方式, 通讯地址, 出生年月, 政治面貌.
            "rows": [row for row in form_rows(nomination) if not row.personal],
            "photos": nomination.photos.all(),
            "rubric": rubric,
        },
        status=status,
    )


@login_required
def score(request, pk):
    assignment = _assignment(request, pk)
    if request.method != "POST":
        return _score_page(request, assignment)
    form = forms.ScoreForm(request.POST, rubric=list(assignment.nomination.category.rubric.all()))
    try:
        values = form.scores()
        services.submit_scores(
            request.user, assignment, values, comment=form.cleaned_data["comment"]
        )
    except Refused as refused:
        messages.error(request, refused.message)
        return _score_page(request, assignment, posted=form.data, errors=refused.errors, status=400)
    messages.success(
        request, _("已提交对“%(name)s”的评分。") % {"name": assignment.nomination.name}
    )
    return redirect("review:assignments")


@login_required
@require_POST
def conflict(request, pk):
    assignment = _assignment(request, pk)
    try:  # the form's one field is the service's reason
        posted = forms.ConflictForm(request.POST).refused_or_cleaned()
        services.declare_conflict(request.user, assignment, **posted)
    except Refused as refused:
        messages.error(request, refused.message)
        return _score_page(request, assignment, status=400)
    messages.success(request, _("已声明利益冲突，组织方将另行安排评审专家。"))
    return redirect("review:assignments")
