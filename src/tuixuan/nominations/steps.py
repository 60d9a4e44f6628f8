"""The nomination page's step indicator: 填写 → 照片 → 下载打印盖章 → 上传盖章件 → 检查 → 提交.

Each step is done or not by the nomination's real state — its required fields, its photos
against the category's bounds, its stamped PDF, its rule report, its status — and the first
step not done is the one to do now. Printing and stamping leave no trace in the system, so that
step is done when the stamped scan it produces is uploaded.
"""

from dataclasses import dataclass

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from tuixuan.campaigns.configuration import configuration_of
from tuixuan.campaigns.kinds import is_filled

from .models import Status
from .reports import evaluate, stamped_pdf_of

DONE, CURRENT, TODO = "done", "current", "todo"


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    done: bool
    hint: str = ""  # what the step still needs, said when it is the one to do now
    anchor: str = ""  # where on the page it is done
    state: str = TODO


def _in_order(steps) -> list[Step]:
    """Each step's state: done, the first not done is current, the rest are still to do."""
    ordered, current_found = [], False
    for step in steps:
        if step.done:
            state = DONE
        elif not current_found:
            state, current_found = CURRENT, True
        else:
            state = TODO
        ordered.append(Step(**{**step.__dict__, "state": state}))
    return ordered


def steps_of(nomination, category=None, *, report=None) -> list[Step]:
    """The six steps of ``nomination`` (None: a form not yet saved, of ``category``); none for
    a withdrawn one, which has nothing left to do. ``report``: the nomination's rule report when
    the page has it already (after 检查), so it is not judged twice.

    The nomination's fields, photos and attachments are read through its managers' ``all()``,
    so a page that has prefetched them (``views._edit_page``) asks no query for them here."""
    if nomination is None:
        return _blank(category)
    if nomination.status == Status.WITHDRAWN:
        return []
    category = nomination.category
    if nomination.status not in Status.EDITABLE:  # handed in: every step was done
        return _in_order(_steps(category, handed_in=True))
    values = nomination.values or {}
    missing = [
        spec
        for spec in category.fields.all()
        if spec.required and not is_filled(values.get(spec.key))
    ]
    photos = len(nomination.photos.all())
    stamped = stamped_pdf_of(nomination) is not None
    if report is None:
        report = evaluate(nomination)
    return _in_order(
        _steps(category, missing=missing, photos=photos, stamped=stamped, report=report)
    )


def _blank(category) -> list[Step]:
    """The steps of a form not yet saved: the same for every unit and person, so worked out once
    per language and revision of the campaign's configuration in this process (the new form's
    page, issue 18); the steps are frozen, the list a copy."""
    steps = configuration_of(category.campaign).derived(
        ("blank steps", get_language(), category.pk),
        lambda: _in_order(_steps(category, missing=None, photos=0, stamped=False, report=None)),
    )
    return list(steps)


def _steps(
    category, *, missing=(), photos=None, stamped=True, report=None, handed_in=False
) -> list[Step]:
    """The steps, from what is known: ``missing`` the required fields not filled (None: the form
    was never saved), ``photos`` their count (None: not asked, handed in), ``stamped`` whether the
    scan is there, ``report`` the rule report (None: not judged)."""
    words = _words(category)
    fill_hint = words["fill"]
    if missing:
        labels = "、".join(spec.label for spec in missing[:3]) + ("……" if len(missing) > 3 else "")
        fill_hint = _("还有%(count)s项必填内容未填写：%(labels)s。") % {
            "count": len(missing),
            "labels": labels,
        }
    failures = len(report.failures) if report is not None else 0
    check_hint = words["check"]
    if failures:
        check_hint = _("有%(count)s项不符合推荐条件，请按提示修改。") % {"count": failures}
    return [
        Step(
            "fill",
            words["fill_label"],
            handed_in or missing == [] or missing == (),
            fill_hint,
            f"id_{missing[0].key}" if missing else "",
        ),
        Step(
            "photos",
            words["photos_label"],
            handed_in or (photos is not None and category.photo_count_fits(photos)),
            _("上传照片%(wanted)s，现有%(count)s张。")
            % {"wanted": words["wanted"], "count": photos or 0},
            "photos",
        ),
        Step("print", words["print_label"], handed_in or stamped, words["print"]),
        Step("upload", words["upload_label"], handed_in or stamped, words["upload"], "stamped-pdf"),
        Step(
            "check",
            words["check_label"],
            handed_in or (report is not None and report.passed),
            check_hint,
        ),
        Step("submit", words["submit_label"], handed_in, words["submit"]),
    ]


def _words(category) -> dict:
    """The steps' labels and the hints that do not change with the nomination, in the active
    language: translated once per language and revision of the campaign's configuration in
    this process (a dozen translations on every view of the nomination page, issue 18)."""
    return configuration_of(category.campaign).derived(
        ("step words", get_language(), category.pk), lambda: _translated_words(category)
    )


def _translated_words(category) -> dict:
    if category.photo_min == category.photo_max:
        wanted = _("%(count)s张") % {"count": category.photo_min}
    else:
        wanted = _("%(low)s—%(high)s张") % {"low": category.photo_min, "high": category.photo_max}
    return {
        "wanted": wanted,
        "fill": _("填写推荐表的各项内容，保存草稿。"),
        "check": _("点“检查”，按推荐条件逐项检查。"),
        "print": _("下载推荐表（WORD或PDF版），打印后加盖推荐单位公章。"),
        "upload": _("将盖章后的推荐表扫描为PDF，在下方上传。"),
        "submit": _("检查通过后点“提交”。"),
        "fill_label": pgettext("step", "填写"),
        "photos_label": pgettext("step", "照片"),
        "print_label": pgettext("step", "下载打印盖章"),
        "upload_label": pgettext("step", "上传盖章件"),
        "check_label": pgettext("step", "检查"),
        "submit_label": pgettext("step", "提交"),
    }
