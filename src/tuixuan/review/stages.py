"""Where a campaign stands, for the stage bar on every office page (review/_stages.html).

The eight stages follow one another: 收集 → 形式审查 → 专家评审 → 择优 → 公示 → 推报 → 结果 → 宣传.
Each is done when the campaign's real state says so (the deadline has passed, nothing waits for
formal review, every expert has scored, …), and a stage counts as done only once the stages
before it are; the first one not done is the current one. What comes next is its open work,
then the open work of the stages after it (experts score while late units still hand in), each
item a sentence with the page where it is done. 推报 reads the nominations' state (已推报),
however they were forwarded. Three statements whatever the campaign's size (the categories, the
counts per category and status, the single figures: review/counts.py), and the experts' tasks
once there are any to score.
"""

from dataclasses import dataclass, field
from html import escape

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from tuixuan.common.html import rows_html
from tuixuan.common.phrases import phrases
from tuixuan.nominations.models import Nomination, Status

from .counts import figures as read_figures
from .counts import status_counts

STAGES = (
    ("collect", pgettext_lazy("stage", "收集")),
    ("formal", pgettext_lazy("stage", "形式审查")),
    ("experts", pgettext_lazy("stage", "专家评审")),
    ("select", pgettext_lazy("stage", "择优")),
    ("announce", pgettext_lazy("stage", "公示")),
    ("forward", pgettext_lazy("stage", "推报")),
    ("result", pgettext_lazy("stage", "结果")),
    ("publicise", pgettext_lazy("stage", "宣传")),
)
ALL_DONE = gettext_lazy("本届推选各环节均已完成。")


@dataclass(frozen=True)
class Step:
    text: str
    url: str = ""
    link: str = ""  # the link's words


@dataclass
class Stage:
    key: str
    label: str
    state: str  # done | current | todo


# One stage of the bar (review/_stages.html), as the template's loop wrote it (whitespace
# included), with what a screen reader hears after a stage done or current: through the
# template, the eight stages were a few hundred function calls each, on every office page
# (issue 18).
STAGE_ITEM = (
    '\n    <li class="stage stage-{state}" data-stage="{key}"{current}>{label}{note}</li>\n  '
)
HIDDEN_NOTE = '<span class="visually-hidden">{}</span>'


@dataclass
class Progress:
    stages: list
    current: Stage | None  # None once every stage is done
    next: list = field(default_factory=list)  # [Step]

    @property
    def stages_html(self) -> SafeString:
        """The stages as the items of the bar's list, in the language of the request."""
        notes = {
            "done": SafeString(HIDDEN_NOTE.format(escape(_("（已完成）")))),
            "current": SafeString(HIDDEN_NOTE.format(escape(_("（当前）")))),
        }
        here = SafeString(' aria-current="step"')
        return rows_html(
            STAGE_ITEM,
            (
                {
                    "state": stage.state,
                    "key": stage.key,
                    "current": here if stage.state == "current" else "",
                    "label": stage.label,
                    "note": notes.get(stage.state, ""),
                }
                for stage in self.stages
            ),
        )


def _first_category(by_category, statuses):
    """The key of the first category (in the campaign's order) with a nomination in one of
    ``statuses``: where the ranking link of a step goes."""
    for key, counts in by_category.items():
        if any(counts.get(status) for status in statuses):
            return key
    return next(iter(by_category), None)


def _scoring(campaign) -> tuple[int, int, int]:
    """Of the nominations the experts may score: how many have no expert, how many of their
    experts' tasks wait for a score, and how many have every score in."""
    scoring = Nomination.objects.filter(campaign=campaign, status__in=Status.REVIEWABLE).annotate(
        active=Count("assignments", filter=Q(assignments__conflict=False)),
        waiting=Count(
            "assignments",
            filter=Q(assignments__conflict=False, assignments__scored_at__isnull=True),
        ),
    )
    unassigned = waiting = ready = 0
    for active, unscored in scoring.values_list("active", "waiting"):
        unassigned += not active
        waiting += unscored
        ready += bool(active) and not unscored
    return unassigned, waiting, ready


def progress(campaign, *, now=None, counts=None, figures=None, categories=None) -> Progress:
    """Where ``campaign`` stands; ``counts``: its ``status_counts``, ``figures``: its
    ``counts.figures``, ``categories``: its categories in their order, if the page has them."""
    now = now or timezone.now()
    if figures is None:
        figures = read_figures(campaign, now=now)
    if categories is None:
        categories = campaign.categories.all()
    keys = {category.pk: category.key for category in categories}
    by_category = {key: {} for key in keys.values()}
    per_status = {status: 0 for status in Status}
    for (category_id, status), n in (status_counts(campaign) if counts is None else counts).items():
        by_category[keys[category_id]][status] = n
        per_status[status] += n
    counts = per_status
    # The experts' work and the open 公示 are asked only when the counts say there can be any
    # (not while the units hand in and the queue fills, the office's busiest weeks).
    unassigned = waiting = ready = 0
    if any(counts[status] for status in Status.REVIEWABLE):
        unassigned, waiting, ready = _scoring(campaign)

    def ranking(*statuses):
        key = _first_category(by_category, statuses)
        return reverse("review:ranking", args=[campaign.key, key]) if key else ""

    def n(*statuses):
        return sum(counts[status] for status in statuses)

    office = {
        "queue": reverse("review:queue", args=[campaign.key]),
        "experts": reverse("review:experts", args=[campaign.key]),
        "objections": reverse("review:objections", args=[campaign.key]),
    }
    to_ranking = _("去排名页")
    steps = {key: [] for key, _label in STAGES}
    done = {}

    # 收集: the deadline has passed, and every extension granted to a unit too.
    done["collect"] = campaign.deadline <= now and not figures["extended_units"]
    deadline = date_format(timezone.localtime(campaign.deadline), phrases.date_time)
    if campaign.deadline > now:
        steps["collect"].append(Step(_("报送截止时间：%(deadline)s。") % {"deadline": deadline}))
    elif figures["extended_units"]:
        steps["collect"].append(
            Step(
                _("报送已于%(deadline)s截止；%(units)s个单位延期至%(until)s。")
                % {
                    "deadline": deadline,
                    "units": figures["extended_units"],
                    "until": date_format(
                        timezone.localtime(figures["extended_until"]), phrases.date_time
                    ),
                }
            )
        )
    # 形式审查: nothing waits for it, and something passed it.
    accepted_or_later = n(
        Status.ACCEPTED, Status.REVIEWED, *Status.PUBLISHABLE, Status.NOT_SELECTED
    )
    done["formal"] = not counts[Status.SUBMITTED] and bool(accepted_or_later)
    if counts[Status.SUBMITTED]:  # formal review need not wait for the deadline
        steps["formal"].append(
            Step(
                _("%(count)s个推荐等待形式审查。") % {"count": counts[Status.SUBMITTED]},
                office["queue"],
                _("去形式审查"),
            )
        )
    # What a current stage with no open work says (the later stages' open work follows it).
    idle = {"formal": [Step(_("尚无通过形式审查的推荐。"))]}

    # 专家评审: every accepted nomination has experts, and they have all scored.
    done["experts"] = not unassigned and not waiting
    if unassigned:
        steps["experts"].append(
            Step(
                _("%(count)s个推荐尚未分配评审专家。") % {"count": unassigned},
                office["experts"],
                _("去评审分配"),
            )
        )
    if waiting:
        steps["experts"].append(
            Step(
                _("尚有%(count)s项评审任务等待专家评分。") % {"count": waiting},
                office["experts"],
                _("查看评审分配"),
            )
        )

    # 择优: something was chosen (拟推荐 or further).
    done["select"] = bool(n(*Status.PUBLISHABLE, Status.NOT_SELECTED))
    limit = campaign.shortlist_per_category
    words = {"count": ready + counts[Status.REVIEWED], "most": limit}
    (steps["select"] if words["count"] else idle.setdefault("select", [])).append(
        Step(
            (
                _("%(count)s个推荐已评完：按排名择优勾选，列入拟推荐（每个类别不超过%(most)s个）。")
                if limit
                else _("%(count)s个推荐已评完：按排名择优勾选，列入拟推荐。")
            )
            % words,
            ranking(Status.REVIEWED, Status.ACCEPTED),
            to_ranking,
        )
    )

    # 公示: every 拟推荐 announced, every 公示 over, every objection answered.
    open_until, unanswered = figures["open_until"], figures["unanswered"]
    done["announce"] = not counts[Status.SHORTLISTED] and open_until is None and not unanswered
    if counts[Status.SHORTLISTED]:
        steps["announce"].append(
            Step(
                _("%(count)s个拟推荐尚未公示。") % {"count": counts[Status.SHORTLISTED]},
                ranking(Status.SHORTLISTED),
                to_ranking,
            )
        )
    if open_until is not None:
        steps["announce"].append(
            Step(
                _("公示期至%(ends)s，期满后才能推报。")
                % {"ends": date_format(open_until, phrases.date)}
            )
        )
    if unanswered:
        steps["announce"].append(
            Step(
                _("%(count)s条公示异议尚未答复，答复后才能推报。") % {"count": unanswered},
                office["objections"],
                _("去答复异议"),
            )
        )

    # 推报: nothing left in 公示, and something forwarded (by whatever means).
    done["forward"] = not counts[Status.ANNOUNCED] and bool(
        n(Status.FORWARDED, Status.SELECTED, Status.NOT_SELECTED)
    )
    if counts[Status.ANNOUNCED] and open_until is None:
        steps["forward"].append(
            Step(
                _("公示已结束，%(count)s个可推报。") % {"count": counts[Status.ANNOUNCED]},
                ranking(Status.ANNOUNCED),
                to_ranking,
            )
        )

    # 结果: every forwarded nomination has its result.
    done["result"] = not counts[Status.FORWARDED]
    if counts[Status.FORWARDED]:
        steps["result"].append(
            Step(
                _("%(count)s个已推报，收到上级结果后记录入选或未入选。")
                % {"count": counts[Status.FORWARDED]},
                ranking(Status.FORWARDED),
                to_ranking,
            )
        )

    # 宣传: every 入选 shown on the public pages.
    unpublished = figures["unpublished"]
    done["publicise"] = not unpublished
    if unpublished:
        steps["publicise"].append(
            Step(
                _("%(count)s个入选尚未公开展示：在其审查页点“公开展示”。") % {"count": unpublished},
                ranking(Status.SELECTED),
                to_ranking,
            )
        )

    stages, current, before = [], None, True
    for key, label in STAGES:
        before = before and done[key]
        if before:
            state = "done"
        elif current is None:
            state = "current"
        else:
            state = "todo"
        stage = Stage(key, str(label), state)
        if state == "current":
            current = stage
        stages.append(stage)
    if current is None:
        return Progress(stages, None, [Step(str(ALL_DONE))])
    later = [key for key, _label in STAGES][[st.key for st in stages].index(current.key) + 1 :]
    shown = steps[current.key] or idle.get(current.key, [])
    return Progress(stages, current, shown + [step for key in later for step in steps[key]])
