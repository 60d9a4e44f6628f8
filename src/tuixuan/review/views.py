"""The organiser's office: dashboard, formal review queue, and one nomination under review."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuixuan.campaigns import checks
from tuixuan.campaigns.configuration import configuration_of
from tuixuan.campaigns.lookup import campaign_by_key
from tuixuan.common.exceptions import Refused
from tuixuan.common.lookup import CAMPAIGN_NOT_FOUND, get_permitted_or_404, permitted_or_404
from tuixuan.documents.rows import form_rows
from tuixuan.nominations import services
from tuixuan.nominations.lookup import nomination_or_404
from tuixuan.nominations.models import AttachmentKind, Flag, Status
from tuixuan.nominations.reports import evaluate
from tuixuan.nominations.trail import trail_of
from tuixuan.review.models import Announcement, Objection

from . import forms
from . import services as review_services
from .counts import by_category_and_status, figures, status_counts, unit_counts
from .dashboard import dashboard
from .rows import QUEUE_COLUMNS, QUEUE_LABELS, queue_rows
from .stages import progress


def _campaign(request, key, *, with_parent=False):
    return permitted_or_404(
        lambda: campaign_by_key(key, with_parent=with_parent),
        request.user,
        "review.office",
        message=CAMPAIGN_NOT_FOUND,
    )


def _nomination(request, uid):
    return nomination_or_404(request.user, uid, "nominations.review")


@login_required
def office(request, campaign_key, *, status=200):
    # Its parent campaign (the 推报至上级活动 card) read with it.
    campaign = _campaign(request, campaign_key, with_parent=True)
    # The stage bar and the dashboard read the same categories (the configuration this process
    # has read: no query) and counts (the dashboard's by unit too, summed for the stage bar),
    # and their single figures in one statement: once for both.
    categories = configuration_of(campaign).categories
    per_unit = unit_counts(campaign)
    counts = by_category_and_status(per_unit)
    now = timezone.now()
    both = figures(campaign, now=now, dashboard=True)
    board = dashboard(
        campaign, categories=categories, per_unit=per_unit, counts=counts, figures=both
    )
    return render(
        request,
        "review/dashboard.html",
        {
            "campaign": campaign,
            "board": board,
            "progress": progress(
                campaign, now=now, counts=counts, figures=both, categories=categories
            ),
            "announcements": (
                campaign.announcements.values_list("pk", flat=True) if both["announced"] else ()
            ),
            "chain": chain(campaign, both),
        },
        status=status,
    )


def chain(campaign, figures):
    """The 推报至上级活动 card's facts (``figures``: the dashboard's, read); None without a
    parent campaign. The nominations that arrived above are read only if there are any."""
    if campaign.parent_id is None:
        return None
    arrived = ()
    if figures["arrived"]:
        arrived = (
            campaign.nominations.filter(forwarded_as__isnull=False)
            .select_related("category", "forwarded_as")
            .order_by("category__order", "pk")
        )
    return {"parent": campaign.parent, "ready": figures["ready"], "arrived": arrived}


@login_required
@require_POST
def forward_to_parent(request, campaign_key):
    campaign = _campaign(request, campaign_key)
    try:
        arrived = review_services.forward_to_parent(request.user, campaign)
    except Refused as refused:
        messages.error(request, refused.for_people)
        return office(request, campaign_key, status=400)
    messages.success(
        request,
        _("已推报%(count)s个推荐至上级活动“%(parent)s”。")
        % {"count": len(arrived), "parent": campaign.parent.title},
    )
    return redirect("review:office", campaign.key)


class CountedPaginator(Paginator):
    """A ``Paginator`` told its count: the queue's is in the counts the stage bar reads anyway
    (``status_counts``), so the page does not count its nominations a second time."""

    def __init__(self, object_list, per_page, *, count):
        super().__init__(object_list, per_page)
        self.count = count  # cached_property: an instance's own value wins


@login_required
def queue(request, campaign_key):
    campaign = _campaign(request, campaign_key)
    # The stage bar and the queue's count read the same categories (the configuration this
    # process has read: no query) and counts: once for both.
    categories = configuration_of(campaign).categories
    counts = status_counts(campaign)
    nominations = campaign.nominations.filter(status=Status.SUBMITTED).order_by(
        "submitted_at", "pk"
    )
    category = request.GET.get("category")
    shown = categories
    if category:
        nominations = nominations.filter(category__key=category)
        shown = [c for c in shown if c.key == category]
    waiting = sum(counts.get((c.pk, Status.SUBMITTED), 0) for c in shown)
    status = 200
    try:
        per_page = forms.QueueSizeForm(request.GET).refused_or_cleaned()["per_page"]
    except Refused as refused:
        messages.error(request, refused.for_people)
        per_page, status = forms.QUEUE_SIZES[0], 400
    page = CountedPaginator(nominations, per_page, count=waiting).get_page(request.GET.get("page"))
    return render(
        request,
        "review/queue.html",
        {
            "campaign": campaign,
            "rows": queue_rows(page.object_list.values_list(*QUEUE_COLUMNS)),
            "labels": QUEUE_LABELS,
            "page": page,
            "category": category,
            "per_page": per_page,
            "sizes": forms.QUEUE_SIZES,
            "progress": progress(campaign, counts=counts, categories=categories),
        },
        status=status,
    )


def _review_page(request, nomination, *, status=200, checked=frozenset()):
    manual = checks.manual_criteria(nomination)
    return render(
        request,
        "review/nomination.html",
        {
            "campaign": nomination.campaign,
            "progress": progress(nomination.campaign),
            "nomination": nomination,
            "rows": form_rows(nomination),
            "photos": nomination.photos.all(),
            "stamped_pdf": nomination.attachments.filter(kind=AttachmentKind.STAMPED_PDF).first(),
            "report": evaluate(nomination),
            "manual": [(c, str(c.pk) in checked) for c in manual],
            "flags": nomination.flags.select_related(
                "past_winner", "decided_by", "nomination__campaign"
            ),
            "trail": trail_of(nomination),
            "above": getattr(nomination, "forwarded_as", None),
            "below": nomination.forwarded_from,
            "can_decide_flags": request.user.has_perm("nominations.decide_flag", nomination),
            "can_decide": request.user.has_perm("nominations.accept_now", nomination),
            "can_publish": request.user.has_perm("nominations.publish_now", nomination),
        },
        status=status,
    )


@login_required
def review(request, uid):
    return _review_page(request, _nomination(request, uid))


def _refused(request, nomination, refused, **page):
    messages.error(request, refused.for_people)
    return _review_page(request, nomination, status=400, **page)


@login_required
@require_POST
def accept(request, uid):
    nomination = _nomination(request, uid)
    form = forms.AcceptForm(request.POST, manual=checks.manual_criteria(nomination))
    ticked = set(form.data.getlist("checked"))
    try:
        checked = form.refused_or_cleaned()["checked"]
        services.accept(request.user, nomination, checked=checked)
    except Refused as refused:
        return _refused(request, nomination, refused, checked=ticked)
    messages.success(request, _("“%(name)s”已通过形式审查。") % {"name": nomination.name})
    return redirect("review:queue", nomination.campaign.key)


@login_required
@require_POST
def send_back(request, uid):
    nomination = _nomination(request, uid)
    form = forms.ReasonForm(request.POST)
    try:
        reason = form.refused_or_cleaned()["reason"]
        services.return_for_revision(request.user, nomination, reason=reason)
    except Refused as refused:
        return _refused(request, nomination, refused)
    messages.success(request, _("已将“%(name)s”退回推荐单位修改。") % {"name": nomination.name})
    return redirect("review:queue", nomination.campaign.key)


@login_required
@require_POST
def decide_flag(request, uid, pk):
    nomination = _nomination(request, uid)
    flag = get_object_or_404(Flag, pk=pk, nomination=nomination)
    try:
        decided = forms.FlagDecisionForm(request.POST).refused_or_cleaned()
        services.decide_flag(
            request.user,
            flag,
            confirmed=decided["decision"] == "confirm",
            reason=decided["reason"],
        )
    except Refused as refused:
        return _refused(request, nomination, refused)
    messages.success(request, _("已记录核实结论。"))
    return redirect("review:nomination", nomination.uid)


@login_required
def experts(request, campaign_key):
    campaign = _campaign(request, campaign_key)
    if request.method == "POST":
        try:
            done = review_services.auto_assign(request.user, campaign)
        except Refused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("已自动分配%(count)s个评审任务。") % {"count": done.made})
            if done.shortfall:
                messages.warning(request, done.shortfall)
        return redirect("review:experts", campaign.key)
    nominations = (
        campaign.nominations.filter(status=Status.ACCEPTED)
        .select_related("category", "unit")
        .prefetch_related("assignments__reviewer")
        .order_by("category__order", "pk")
    )
    return render(
        request,
        "review/experts.html",
        {
            "campaign": campaign,
            "nominations": nominations,
            "experts": review_services.reviewers_of(campaign),
            "progress": progress(campaign),
        },
    )


@login_required
def ranking(request, campaign_key, category_key):
    campaign = _campaign(request, campaign_key)
    category = get_object_or_404(campaign.categories, key=category_key)
    status = 200
    if request.method == "POST":
        try:
            posted = forms.BulkForm(request.POST, category=category).refused_or_cleaned()
            chosen = list(category.nominations.filter(uid__in=posted["chosen"]).order_by("pk"))
            _bulk(request, posted["action"], category, chosen, ends_on=posted["ends_on"])
        except Refused as refused:
            messages.error(request, refused.for_people)
            status = 400
        else:
            return redirect("review:ranking", campaign.key, category.key)
    ranked = review_services.ranking(campaign, category)
    today = timezone.localdate()
    rows = [(r, r.actions(today)) for r in ranked]
    offered = [
        (action, word, sum(action in actions for _r, actions in rows))
        for action, word in forms.BULK_WORDS.items()
    ]
    return render(
        request,
        "review/ranking.html",
        {
            "campaign": campaign,
            "category": category,
            "categories": campaign.categories.all(),
            "rows": rows,
            "offered": [(action, word, count) for action, word, count in offered if count],
            "progress": progress(campaign),
        },
        status=status,
    )


def announcement(request, pk):
    """The public 公示 page: who is proposed, for how long, and where to object. No login."""
    shown = get_object_or_404(Announcement.objects.select_related("campaign"), pk=pk)
    nominations = shown.nominations.select_related("category", "unit").order_by(
        "category__order", "pk"
    )
    errors, status, posted = {}, 200, {}
    if request.method == "POST":
        form = forms.ObjectionForm(request.POST, nominations=nominations)
        posted = form.data
        try:
            objection = form.refused_or_cleaned()
            review_services.file_objection(
                shown,
                nominations.get(uid=objection["nomination"]),
                name=objection["name"],
                contact=objection["contact"],
                content=objection["content"],
            )
        except Refused as refused:
            errors = refused.errors or {refused.field: refused.message}
            status = 400
        else:
            messages.success(request, _("异议已收到，组织方将核实并答复。"))
            return redirect("review:announcement", shown.pk)
    today = timezone.localdate()
    return render(
        request,
        "review/announcement.html",
        {
            "announcement": shown,
            "nominations": nominations,
            "open": shown.starts_on <= today <= shown.ends_on,
            "errors": errors,
            "posted": posted,
        },
        status=status,
    )


@login_required
def objections(request, campaign_key):
    campaign = _campaign(request, campaign_key)
    filed = Objection.objects.filter(announcement__campaign=campaign).select_related(
        "nomination", "answered_by"
    )
    return render(
        request,
        "review/objections.html",
        {"campaign": campaign, "objections": filed, "progress": progress(campaign)},
    )


@login_required
@require_POST
def answer(request, pk):
    objection = get_permitted_or_404(
        Objection.objects.select_related("announcement__campaign"),
        request.user,
        "review.office",
        message=CAMPAIGN_NOT_FOUND,
        on=lambda found: found.announcement.campaign,
        pk=pk,
    )
    campaign = objection.announcement.campaign
    try:
        answered = forms.AnswerForm(request.POST).refused_or_cleaned()["answer"]
        review_services.answer_objection(request.user, objection, answer=answered)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("已答复。"))
    return redirect("review:objections", campaign.key)


def _bulk(request, action, category, chosen, *, ends_on=None) -> int:
    user, campaign = request.user, category.campaign
    if action == "reviewed":
        done = review_services.mark_reviewed(user, chosen)
    elif action == "shortlist":
        done = review_services.shortlist(user, category, chosen)
    elif action == "announce":
        review_services.announce(
            user, campaign, chosen, starts_on=timezone.localdate(), ends_on=ends_on
        )
        done = len(chosen)
    elif action == "forward":
        done = review_services.forward(user, chosen)
    elif action == "selected":
        done = review_services.record_results(user, chosen, [])
    else:  # not_selected; BulkForm offers no other action
        done = review_services.record_results(user, [], chosen)
    messages.success(
        request,
        _("已%(done)s%(count)s个推荐。") % {"done": forms.BULK_WORDS[action], "count": done},
    )
    return done


@login_required
@require_POST
def assign(request, uid):
    nomination = _nomination(request, uid)
    experts = {
        str(user.pk): user for user, _unit in review_services.reviewers_of(nomination.campaign)
    }
    try:
        chosen = forms.AssignForm(request.POST, experts=experts).refused_or_cleaned()["reviewer"]
        reviewer = experts[chosen]
        review_services.assign(request.user, nomination, reviewer)
    except Refused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            _("已将“%(name)s”分配给%(reviewer)s。")
            % {"name": nomination.name, "reviewer": reviewer.first_name or reviewer.username},
        )
    return redirect("review:experts", nomination.campaign.key)
