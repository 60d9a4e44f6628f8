"""Every change of a nomination: one function per transition, one transaction each, audited.

Views, the API, management commands and tests call these and nothing else to change a nomination.
Each function checks the caller's permission (``rules.py``), the state it starts from, and the
notice's rules that apply (the rule engine in ``campaigns/checks.py``); a refusal raises
``Refused`` (or ``RulesNotMet`` carrying the whole rule report) and changes nothing.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Count, Q, prefetch_related_objects
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tuixuan.campaigns import checks, kinds
from tuixuan.campaigns.kinds import FieldError, clean_values
from tuixuan.campaigns.models import Category, fields_in_order
from tuixuan.common.audit import describe_actions, record, record_burst
from tuixuan.common.exceptions import Refused, RulesNotMet
from tuixuan.common.lookup import require_permission
from tuixuan.common.phrases import named as named_phrase
from tuixuan.common.phrases import phrases
from tuixuan.common.prepared import Param, Prepared
from tuixuan.common.text import normalise_name
from tuixuan.units.models import Participation
from tuixuan.units.notify import notify_unit

from . import deadlines
from .deadlines import in_time
from .files import attach_form_copy, inspect_image, inspect_pdf, sha256_of
from .lookup import nominations_with_context
from .models import (
    Attachment,
    AttachmentKind,
    Flag,
    FlagKind,
    FlagStatus,
    Nomination,
    Photo,
    Status,
)
from .reports import NominationFacts, _prefetched, evaluate
from .signals import handed_in, stamped_pdf_stored
from .transitions import TRANSITIONS

# Saves of one draft by one person this close together are one editing burst: one audit event.
EDITING_BURST = timedelta(minutes=10)

# What the trail calls the changes that are not transitions (those are named in the table).
describe_actions(
    {
        "nomination.create": gettext_lazy("新建推荐"),
        "nomination.update": gettext_lazy("保存填报内容"),
        "nomination.import": gettext_lazy("从推报包导入"),
        "nomination.batch": gettext_lazy("从Excel批量导入（新建草稿）"),
        "nomination.copy": gettext_lazy("复制为新草稿"),
        "nomination.arrive": gettext_lazy("由下级活动推报到达"),
        "photo.add": gettext_lazy("上传照片"),
        "photo.remove": gettext_lazy("删除照片"),
        "photo.move": gettext_lazy("调整照片顺序"),
        "attachment.add": gettext_lazy("上传盖章扫描PDF"),
        "flag.confirmed": gettext_lazy("确认待核实标记"),
        "flag.cleared": gettext_lazy("排除待核实标记"),
    }
)


def lock(nomination) -> Nomination:
    """Lock the unit's participation, then the nomination, and read the nomination afresh.

    Every change of a nomination starts here, in its transaction, and takes the locks in this
    one order, so two changes of the same nomination (a submission and an edit, a photo removal,
    a withdrawal, an organiser's decision) never interleave: the second waits for the first to
    commit and then sees what it stored, and the rules are judged on the values stored when the
    change commits. On SQLite every write transaction already takes the database's lock at BEGIN
    (settings: IMMEDIATE), so there the participation is not read: nothing would lock it.

    Both reads are prepared statements (common/prepared.py): every save takes this lock, and
    building its two queries with the ORM was a third of an auto-save's time (issue 18). The
    nomination comes with its campaign, category and unit as ``lookup.nominations_with_context``
    reads them (not the campaign file's text).
    """
    if connection.features.has_select_for_update:
        if connection.get_autocommit():  # as the ORM's select_for_update refuses it
            raise transaction.TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        locked = _participation_for_update.first(nomination.campaign_id, nomination.unit_id)
        if locked is not None:  # its deadline, read under the lock: not asked again (issue 18)
            deadlines.remember(locked)
    found = _nomination_for_update.first(nomination.pk)
    if found is None:
        raise Nomination.DoesNotExist("Nomination matching query does not exist.")
    return found


_participation_for_update = Prepared(
    lambda campaign_id, unit_id: (
        Participation.objects.select_for_update()
        .filter(campaign_id=campaign_id, unit_id=unit_id)
        .only("campaign_id", "unit_id", "extension_until")
        .order_by("pk")[:1]
    ),
    Param(-7_800_001),
    Param(-7_800_002),
)
_nomination_for_update = Prepared(
    lambda pk: nominations_with_context().select_for_update(of=("self",)).filter(pk=pk).order_by(),
    Param(-7_800_003),
)


def _with_fields_read(nomination, category):
    """``nomination`` with its category's fields read (cleaning and naming read them): those of
    ``category`` when the caller read them already (the page built its form from them) and it
    is the nomination's, else read now. A category and its fields are the campaign file's, not
    the nomination's: the lock re-reads the nomination, not them (issue 18: a query a save)."""
    if nomination.category_id == category.pk and _prefetched(category, "fields"):
        nomination.category = category
    else:
        prefetch_related_objects([nomination.category], fields_in_order())
    return nomination


def _clean(category, values, *, keep_invalid=False):
    """``(values, typed_invalid)``: the clean values, and the fields that did not clean as
    typed. Without ``keep_invalid`` (the API) a field that does not clean refuses the save."""
    cleaned, errors = clean_values(category.fields.all(), values)
    typed = {key: values.get(key) for key in errors}
    if errors and not (keep_invalid and _storable(typed)):
        raise Refused(_("填写内容有误，请按提示修改。"), field=next(iter(errors)), errors=errors)
    return cleaned, typed


def _storable(typed) -> bool:
    """Whether what was typed can be kept as it is: not a NUL character (PostgreSQL stores none
    in JSON) nor half of a surrogate pair (not UTF-8). Such input is no typing slip; it is
    refused as before, and nothing is saved."""
    text = json.dumps(typed, ensure_ascii=False)
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return "\\u0000" not in text


def _refuse_after_deadline(nomination, now, doing):
    if not in_time(nomination, now):
        raise Refused(
            _("已过报送截止时间，不能%(doing)s；如确需延期，请联系组织方。") % {"doing": doing},
            rule_id=nomination.campaign.rule_id_for("deadline"),
        )


def _set_values(nomination, values, typed_invalid=None):
    nomination.values = values
    nomination.typed_invalid = typed_invalid or {}
    nomination.name = checks.name_of(nomination.category, values)
    nomination.normalised_name = normalise_name(nomination.name)


def _refuse_unless_in(nomination, states, word, *, then=""):
    """Refused unless in one of ``states``; ``then`` says what to do instead (``what_first``)."""
    if nomination.status not in states:
        raise Refused(
            _("当前状态为“%(status)s”，不能%(doing)s。")
            % {"status": nomination.get_status_display(), "doing": word}
            + then
        )


NEAR = 2  # further away than this many steps, the refusal names the state only


def what_first(status, action) -> str:
    """The organiser's steps that lead from ``status`` to where ``action`` starts, as the
    sentence a refusal ends with (“请先标记为已评审，再列入拟推荐。”); "" when none leads there
    (it is past that step, or back with its unit) or the way is longer than ``NEAR`` steps (a
    nomination just handed in is far from 推报: its state says enough). The shortest path."""
    goal = TRANSITIONS[action]
    office = [t for t in TRANSITIONS.values() if not t.until_deadline and t.action != "return"]
    paths, seen = [(status, [])], {status}
    while paths:
        state, steps = paths.pop(0)
        if state in goal.sources:
            break
        for step in office:
            if state in step.sources and step.target not in seen:
                seen.add(step.target)
                paths.append((step.target, [*steps, step]))
    else:
        return ""
    if not steps or len(steps) > NEAR:
        return ""
    if steps[0].action == "forward":  # 公示中: forwarding waits for the 公示 to end
        return _("请在公示期满后先%(steps)s，再%(doing)s。") % {
            "steps": "、".join(str(step.label) for step in steps),
            "doing": goal.label,
        }
    return _("请先%(steps)s，再%(doing)s。") % {
        "steps": "、".join(str(step.label) for step in steps),
        "doing": goal.label,
    }


def _move(user, nomination, action, *, reason="", **data):
    """The transition ``action`` of the table: from one of its states, audited, the unit told
    (``units.notify``: the one place its notifications and mail come from)."""
    transition = TRANSITIONS[action]
    _refuse_unless_in(nomination, transition.sources, transition.label)
    from_state = nomination.status
    nomination.status = transition.target
    nomination.save(update_fields=["status", "updated_at"])
    event = record(
        transition.audit_key,
        actor=user,
        nomination=nomination,
        from_state=from_state,
        to_state=transition.target,
        reason=reason,
        **data,
    )
    notify_unit(event)  # the unit's people: on their page, and by mail to those with an address
    return nomination


# The unit's transitions ----------------------------------------------------------------------


@transaction.atomic
def create_nomination(user, *, campaign, category, unit, values=None, keep_invalid=False, now=None):
    """Start a draft. Drafts hold no quota place; an incomplete draft is fine, and with
    ``keep_invalid`` (the web form) so is one with fields that do not clean: they are kept as
    typed (``Nomination.typed_invalid``) and block only 提交."""
    require_permission(user, "nominations.create_in_unit", unit)
    now = now or timezone.now()
    if category.campaign_id != campaign.pk:
        raise Refused(_("该类别不属于本活动。"), field="category")
    if deadlines.participating(campaign, unit.pk) is None:  # the page read it already
        raise Refused(_("本单位不在该活动的推荐单位名单中，请联系组织方。"))
    nomination = Nomination(campaign=campaign, category=category, unit=unit, created_by=user)
    _refuse_after_deadline(nomination, now, pgettext("step", "新建推荐"))
    _set_values(nomination, *_clean(category, values or {}, keep_invalid=keep_invalid))
    nomination.save()
    record("nomination.create", actor=user, nomination=nomination, to_state=nomination.status)
    return nomination


@transaction.atomic
def update_nomination(user, nomination, values, *, partial=False, keep_invalid=False, now=None):
    """Save the form as it stands, complete or not. Bad values are refused and nothing changes;
    with ``keep_invalid`` (the web form) they are kept as typed and block only 提交.

    ``partial``: ``values`` changes only the fields it names, merged into what is stored when
    the change commits (so two partial saves that race keep each other's fields).

    The saves of one person's editing burst (auto-saves as the clerk types, repeated 保存草稿)
    are one audit event naming every field they changed (``common.audit.record_burst``)."""
    require_permission(user, "nominations.edit", nomination)
    nomination = _with_fields_read(lock(nomination), nomination.category)
    _refuse_unless_in(nomination, Status.EDITABLE, pgettext("step", "修改"))
    _refuse_after_deadline(nomination, now or timezone.now(), pgettext("step", "修改"))
    before = {**nomination.values, **nomination.typed_invalid}
    kept_invalid = {}
    if partial:
        kept_invalid = {k: v for k, v in nomination.typed_invalid.items() if k not in values}
        values = {**nomination.values, **values}
    cleaned, typed_invalid = _clean(nomination.category, values, keep_invalid=keep_invalid)
    _set_values(nomination, cleaned, {**kept_invalid, **typed_invalid})
    nomination.save(
        update_fields=["values", "typed_invalid", "name", "normalised_name", "updated_at"]
    )
    after = {**nomination.values, **nomination.typed_invalid}
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    record_burst(
        "nomination.update",
        actor=user,
        nomination=nomination,
        fields=changed,
        within=EDITING_BURST,
        to_state=nomination.status,
    )
    return nomination


@transaction.atomic
def submit(user, nomination, *, now=None):
    """Submit after every rule passes; two racing submissions never exceed the quota.

    ``lock`` takes the unit's participation row first, so a unit's submissions in one campaign
    queue behind each other and each counts the places the previous ones took; and the
    nomination's row, so no edit lands between the rule check and the hand-in.
    """
    require_permission(user, "nominations.submit", nomination)
    now = now or timezone.now()
    nomination = lock(nomination)
    _refuse_unless_in(nomination, Status.EDITABLE, pgettext("step", "提交"))
    facts = NominationFacts(nomination.campaign, [nomination])
    report = evaluate(nomination, now=now, facts=facts)
    if not report.passed:
        raise RulesNotMet(report)
    _flag_past_winners(nomination, facts.past_winners(nomination))
    _flag_duplicates(nomination)
    nomination.submitted_at = now
    nomination.save(update_fields=["submitted_at"])
    _move(user, nomination, "submit")
    tell_handed_in(nomination)
    return report


def tell_handed_in(nomination):
    """Once the hand-in is committed, the apps above hear of it (the PDF form is rendered)."""
    pk = nomination.pk
    transaction.on_commit(lambda: handed_in.send(sender=Nomination, nomination_id=pk))


def _flag_past_winners(nomination, matches):
    for match in matches:
        Flag.objects.get_or_create(
            nomination=nomination,
            kind=FlagKind.PAST_WINNER,
            past_winner=match,
            defaults={
                "rule_id": nomination.campaign.rule_id_for("past_winner"),
                "detail": f"与{match.year}年度入选典型“{match.name}”同名",
            },
        )


def _flag_duplicates(nomination):
    """The same candidate handed in by another unit: same normalised name in the same category
    and, where the campaign file names one, the same identity field (e.g. 出生年月)."""
    if not nomination.normalised_name:
        return
    others = Nomination.objects.filter(
        campaign_id=nomination.campaign_id,
        category_id=nomination.category_id,
        normalised_name=nomination.normalised_name,
        status__in=Status.HOLDING_A_PLACE,
    ).exclude(unit_id=nomination.unit_id)
    identity = nomination.category.identity_field
    for other in others.select_related("unit"):
        if identity and other.values.get(identity) != nomination.values.get(identity):
            continue
        for flagged, twin in ((nomination, other), (other, nomination)):
            Flag.objects.get_or_create(
                nomination=flagged,
                kind=FlagKind.DUPLICATE,
                duplicate_of=twin,
                defaults={"detail": f"与{twin.unit.name}推荐的“{twin.name}”疑似为同一对象"},
            )


@transaction.atomic
def withdraw(user, nomination, *, reason="", now=None):
    """Withdraw a draft or submitted nomination before the deadline; its quota place is freed."""
    require_permission(user, "nominations.withdraw", nomination)
    nomination = lock(nomination)
    if nomination.status in Status.WITHDRAWABLE:  # else the table refuses it by its state
        _refuse_after_deadline(nomination, now or timezone.now(), pgettext("step", "撤回"))
    return _move(user, nomination, "withdraw", reason=reason)


# Many drafts at once, and a draft copied from another nomination ------------------------------


def _participation_locked(campaign, unit):
    """Lock the unit's participation in ``campaign`` (as ``lock`` does first), or refuse."""
    participation = (
        Participation.objects.select_for_update()
        .filter(campaign_id=campaign.pk, unit_id=unit.pk)
        .first()
    )
    if participation is None:
        raise Refused(_("本单位不在该活动的推荐单位名单中，请联系组织方。"), field="campaign")
    return participation


@transaction.atomic
def create_many(user, *, campaign, category, unit, rows, source="", now=None):
    """Create one draft per row, all or none: ``rows`` is ``[(row number, raw values)]`` (the
    batch-import workbook's rows); any row refused refuses the whole batch, with every row's
    problems in ``errors`` (by “row.field key”), and nothing is created. Drafts hold no quota place,
    so a batch is never refused for the quota."""
    require_permission(user, "nominations.create_in_unit", unit)
    now = now or timezone.now()
    if category.campaign_id != campaign.pk:
        raise Refused(_("该类别不属于本活动。"), field="category")
    _participation_locked(campaign, unit)
    if not rows:
        raise Refused(_("没有要导入的行。"), field="workbook")
    probe = Nomination(campaign=campaign, category=category, unit=unit)
    _refuse_after_deadline(probe, now, pgettext("step", "新建推荐"))
    fields = list(category.fields.all())
    errors, made = {}, []
    for number, raw in rows:
        values, problems = clean_values(fields, raw or {})
        for key, problem in problems.items():
            errors[f"{number}.{key}"] = _("第%(row)s行%(error)s") % {
                "row": number,
                "error": problem,
            }
        if problems:
            continue
        nomination = Nomination(campaign=campaign, category=category, unit=unit, created_by=user)
        _set_values(nomination, values)
        made.append((number, nomination))
    if errors:
        raise Refused(
            _("有%(count)s处填写有误，未导入任何一行：%(first)s")
            % {"count": len(errors), "first": next(iter(errors.values()))},
            field="workbook",
            errors=errors,
        )
    for number, nomination in made:
        nomination.save()
        record(
            "nomination.batch",
            actor=user,
            nomination=nomination,
            to_state=nomination.status,
            workbook=source[:255],
            row=number,
        )
    return [nomination for _number, nomination in made]


@dataclass
class Copied:
    """A draft copied from another nomination, and what of the original it could not take."""

    nomination: Nomination
    left_out: list = field(default_factory=list)  # ““出生年月”：why”, one per field or photo


def copy_targets(nomination, now=None):
    """The campaigns a nomination may be copied into: those its unit takes part in and may
    still create in (by the deadline and the unit's extension), each with the category of the
    same key there; its own campaign first."""
    now = now or timezone.now()
    found = []
    participations = Participation.objects.filter(unit_id=nomination.unit_id).select_related(
        "campaign"
    )
    for participation in participations.order_by("-campaign__year", "campaign__key"):
        campaign = participation.campaign
        category = campaign.categories.filter(key=nomination.category.key).first()
        probe = Nomination(campaign=campaign, category=category, unit=nomination.unit)
        if category is not None and in_time(probe, now):
            found.append((campaign, category))
    found.sort(key=lambda pair: pair[0].pk != nomination.campaign_id)
    return found


@transaction.atomic
def copy_nomination(user, nomination, *, campaign=None, category=None, now=None) -> Copied:
    """A new draft of the same unit from ``nomination`` (any state), in its campaign or another
    one the unit takes part in that is still open, in the category of the same key there (or
    ``category``). Fields of the same key are copied, each cleaned by the new category (what it
    refuses is left out and listed), photos too where the new category has room and allows
    their size; the stamped PDF is not (it certifies the old form). Audited on the new draft."""
    require_permission(user, "nominations.see", nomination)
    require_permission(user, "nominations.create_in_unit", nomination.unit)
    now = now or timezone.now()
    source = lock(nomination)
    campaign = campaign or source.campaign
    _participation_locked(campaign, source.unit)
    if category is None:
        category = campaign.categories.filter(key=source.category.key).first()
        if category is None:
            raise Refused(
                _("活动“%(campaign)s”没有与“%(category)s”相同的类别。")
                % {"campaign": campaign.title, "category": source.category.name},
                field="category",
            )
    if category.campaign_id != campaign.pk:
        raise Refused(_("该类别不属于本活动。"), field="category")
    copy = Nomination(campaign=campaign, category=category, unit=source.unit, created_by=user)
    _refuse_after_deadline(copy, now, pgettext("step", "新建推荐"))
    left_out = []
    values = {}
    targets = {spec.key: spec for spec in category.fields.all()}
    for spec in source.category.fields.all():
        if spec.key not in source.values:
            continue
        target = targets.get(spec.key)
        if target is None:
            left_out.append(named_phrase(spec.label, _("新类别没有这一项。")))
            continue
        kind = kinds.of(target)
        try:
            value = kind.clean_value(source.values[spec.key])
        except FieldError as error:
            left_out.append(kind.named(error))
            continue
        if value is not None:
            values[spec.key] = value
    _set_values(copy, values)
    copy.save()
    stored = []
    try:
        _copy_photos(source, copy, left_out, stored)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    record(
        "nomination.copy",
        actor=user,
        nomination=copy,
        to_state=copy.status,
        reason=_("复制自“%(name)s”（%(campaign)s）")
        % {"name": source.name or _("未命名"), "campaign": source.campaign.title},
        copied_from=str(source.uid),
        left_out=left_out,
    )
    return Copied(copy, left_out)


def _copy_photos(source, copy, left_out, stored):
    category = copy.category
    for photo in source.photos.all():
        label = _("照片“%(name)s”") % {"name": photo.original_name}
        count = copy.photos.count()
        if not category.photo_room_for(count):
            left_out.append(
                named_phrase(label, _("新类别最多%(most)s张照片。") % {"most": category.photo_max})
            )
            continue
        fault = category.photo_size_fault(photo.size)
        if fault is not None:
            left_out.append(named_phrase(label, _("为%(fault)s。") % {"fault": fault}))
            continue
        with photo.file.open("rb") as original:
            data = ContentFile(original.read(), name=photo.original_name)
        try:
            info = inspect_image(data, "", max_pixels=category.photo_max_pixels)
        except Refused as error:
            left_out.append(named_phrase(label, error.message))
            continue
        made = _store_photo(copy, data, info, order=count)
        stored.extend(file for file in (made.file, made.form_copy) if file)


# Photos and the stamped PDF -------------------------------------------------------------------


def _editable_for_files(user, nomination, now):
    require_permission(user, "nominations.edit", nomination)
    nomination = lock(nomination)
    _refuse_unless_in(nomination, Status.EDITABLE, pgettext("step", "修改附件"))
    _refuse_after_deadline(nomination, now or timezone.now(), pgettext("step", "修改"))
    return nomination


def _still_there(nomination, photo):
    """The photo as stored now: a request that raced this one may have removed it already."""
    found = nomination.photos.filter(pk=photo.pk).first()
    if found is None:
        raise Refused(_("该照片已被删除，请刷新页面。"), field="photos")
    return found


def _delete_after_commit(file):
    """Remove a stored file only once the row that named it is gone for good."""
    storage, name = file.storage, file.name
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def add_photo(user, nomination, upload, *, now=None):
    """Add one photo: a real JPEG or PNG, within the size bounds and the count."""
    nomination = _editable_for_files(user, nomination, now)
    category = nomination.category
    rule = nomination.campaign.rule_id_for("photos")
    count = nomination.photos.count()
    if not category.photo_room_for(count):
        raise Refused(
            _("照片最多%(most)s张，已有%(count)s张。")
            % {"most": category.photo_max, "count": count},
            rule_id=rule,
            field="photos",
        )
    fault = category.photo_size_fault(upload.size)
    if fault is not None:
        raise Refused(
            _("照片“%(name)s”为%(fault)s。") % {"name": upload.name, "fault": fault},
            rule_id=rule,
            field="photos",
        )
    try:
        info = inspect_image(upload, rule, max_pixels=category.photo_max_pixels)
    except Refused as error:
        raise Refused(error.message, rule_id=error.rule_id, field="photos") from None
    photo = _store_photo(nomination, upload, info, order=count)
    record("photo.add", actor=user, nomination=nomination, photo=photo.pk, sha256=info.sha256)
    return photo


def _store_photo(nomination, upload, info, *, order) -> Photo:
    """Keep an inspected upload as the nomination's photo, with the copy its forms embed."""
    photo = Photo(
        nomination=nomination,
        original_name=upload.name[:255],
        content_type=info.content_type,
        size=info.size,
        width=info.width,
        height=info.height,
        sha256=info.sha256,
        order=order,
    )
    photo.file.save(upload.name, upload, save=False)
    attach_form_copy(photo, upload)
    photo.save()
    return photo


@transaction.atomic
def remove_photo(user, photo, *, now=None):
    nomination = _editable_for_files(user, photo.nomination, now)
    photo = _still_there(nomination, photo)
    _delete_after_commit(photo.file)
    if photo.form_copy:
        _delete_after_commit(photo.form_copy)
    photo.delete()
    for order, remaining in enumerate(nomination.photos.all()):
        if remaining.order != order:
            remaining.order = order
            remaining.save(update_fields=["order"])
    record("photo.remove", actor=user, nomination=nomination)


@transaction.atomic
def move_photo(user, photo, *, offset, now=None):
    """Move a photo earlier (offset -1) or later (+1) in the order the forms show them."""
    nomination = _editable_for_files(user, photo.nomination, now)
    _still_there(nomination, photo)
    photos = list(nomination.photos.all())
    index = next(i for i, p in enumerate(photos) if p.pk == photo.pk)
    target = index + offset
    if not 0 <= target < len(photos):
        return
    photos.insert(target, photos.pop(index))
    for order, each in enumerate(photos):
        if each.order != order:
            each.order = order
            each.save(update_fields=["order"])
    record("photo.move", actor=user, nomination=nomination)


def _mb(size):
    return f"{size / 1048576:.2f}MB"


@transaction.atomic
def attach_stamped_pdf(user, nomination, upload, *, now=None):
    """The stamped, scanned form: must open as a PDF; replaces an earlier one."""
    nomination = _editable_for_files(user, nomination, now)
    limit = nomination.campaign.stamped_pdf_max_bytes
    rule = nomination.campaign.rule_id_for("stamped_pdf")
    if upload.size > limit:
        raise Refused(
            _("盖章扫描PDF为%(size)s，不超过%(most)s。")
            % {"size": _mb(upload.size), "most": _mb(limit)},
            rule_id=rule,
            field="stamped_pdf",
        )
    try:
        digest = inspect_pdf(upload, rule)
    except Refused as error:
        raise Refused(error.message, rule_id=error.rule_id, field="stamped_pdf") from None
    old = nomination.attachments.filter(kind=AttachmentKind.STAMPED_PDF).first()
    if old is not None:
        for file in (old.file, old.seal_crop):
            if file:
                _delete_after_commit(file)
        old.delete()
    attachment = _store_stamped(nomination, upload, upload.name[:255], digest)
    record("attachment.add", actor=user, nomination=nomination, sha256=digest)
    return attachment


def _store_stamped(nomination, data, original, digest):
    """Store the stamped scan; once committed, the apps above hear of it (the worker searches it
    for the seal)."""
    attachment = Attachment(
        nomination=nomination,
        kind=AttachmentKind.STAMPED_PDF,
        original_name=original,
        size=data.size,
        sha256=digest,
    )
    attachment.file.save(data.name, data, save=False)
    attachment.save()
    pk = attachment.pk
    transaction.on_commit(lambda: stamped_pdf_stored.send(sender=Attachment, attachment_id=pk))
    return attachment


# The organiser's transitions -----------------------------------------------------------------


def _organiser_move(user, nomination, action, reason="", guard=None):
    """An organiser's transition. ``guard(nomination)`` checks what else the move needs (flags
    decided, 公示 over) on the locked row, and may return more data for the audit event."""
    transition = TRANSITIONS[action]
    require_permission(user, transition.permission, nomination)
    with transaction.atomic():
        nomination = lock(nomination)
        _refuse_unless_in(  # before the guard
            nomination,
            transition.sources,
            transition.label,
            then=what_first(nomination.status, action),
        )
        data = (guard(nomination) or {}) if guard is not None else {}
        return _move(user, nomination, action, reason=reason, **data)


def return_for_revision(user, nomination, *, reason):
    """Send a submitted nomination back to its unit; the reason is required and shown to them."""
    if not (reason or "").strip():
        raise Refused(_("退回修改必须填写理由。"), field="reason")
    return _organiser_move(user, nomination, "return", reason.strip())


def accept(user, nomination, *, reason="", checked=None):
    """Pass formal review (形式审查).

    Every past-winner flag must have been cleared first. With ``checked`` (the criteria of
    the manual checklist the organiser ticked, by pk), every manual criterion must be ticked; the
    ticks are kept in the audit trail.
    """

    def guard(nomination):
        flags = nomination.flags.exclude(status=FlagStatus.CLEARED)
        confirmed = flags.filter(status=FlagStatus.CONFIRMED).first()
        if confirmed is not None and confirmed.kind == FlagKind.PAST_WINNER:
            raise Refused(
                _("已确认曾入选往届典型，不能通过形式审查，请退回。"), rule_id=confirmed.rule_id
            )
        if confirmed is not None:
            raise Refused(
                _("已确认为重复推荐，不能通过形式审查，请退回。"), rule_id=confirmed.rule_id
            )
        pending = flags.first()
        if pending is not None and pending.kind == FlagKind.PAST_WINNER:
            raise Refused(_("尚有待核实的往届入选标记，请先确认或排除。"), rule_id=pending.rule_id)
        if pending is not None:
            raise Refused(_("尚有待核实的重复推荐标记，请先确认或排除。"), rule_id=pending.rule_id)
        if checked is None:
            return {}
        manual = checks.manual_criteria(nomination)
        missing = [c for c in manual if str(c.pk) not in {str(pk) for pk in checked}]
        if missing:
            listed = "、".join(dict.fromkeys(c.rule_id for c in missing))
            raise Refused(
                _("人工审核清单尚有%(count)s项未勾选（%(listed)s）。")
                % {"count": len(missing), "listed": listed},
                field="checked",
            )
        return {"checked": [c.rule_id for c in manual]}

    return _organiser_move(user, nomination, "accept", reason, guard=guard)


def mark_reviewed(user, nomination):
    """Close the formal scoring of one nomination, once it has experts and they have all scored.
    The office's bulk action calls this for each chosen nomination, so both refuse alike."""

    def guard(nomination):
        refuse_while_experts_score(nomination, doing=TRANSITIONS["review"].label)

    return _organiser_move(user, nomination, "review", guard=guard)


def shortlist(user, nomination, *, reason=""):
    """列入拟推荐 one nomination: the office's bulk shortlist of one."""
    [moved] = shortlist_many(user, nomination.category, [nomination], reason=reason)
    return moved


@transaction.atomic
def shortlist_many(user, category, nominations, *, reason="") -> list:
    """列入拟推荐 the chosen nominations of one category, all or none: each one's experts have all
    scored, and the category stays within the number the level above accepts (择优推报).

    The category's row is locked once, before any nomination (the order every shortlist takes),
    so two shortlists in the same category queue and the second counts what the first took."""
    nominations = list(nominations)
    for nomination in nominations:
        require_permission(user, TRANSITIONS["shortlist"].permission, nomination)
    Category.objects.select_for_update().filter(pk=category.pk).first()
    refuse_beyond_forwarding_cap(category, adding=len(nominations))

    def guard(nomination):
        refuse_while_experts_score(
            nomination, doing=TRANSITIONS["shortlist"].label, rule="forwarding"
        )

    return [
        _organiser_move(
            user, _reviewed_first(user, nomination, guard), "shortlist", reason, guard=guard
        )
        for nomination in nominations
    ]


def _reviewed_first(user, nomination, guard):
    """列入拟推荐 a nomination its experts have all scored but nobody marked 已评审: the step is
    implied, so it is taken here first (``guard`` refuses while an expert is still scoring),
    and the trail shows both, 标记为已评审 then 列入拟推荐. The state is read from the locked
    row: the caller's object may be older than a 标记为已评审 made meanwhile."""
    if lock(nomination).status not in TRANSITIONS["review"].sources:
        return nomination
    return _organiser_move(user, nomination, "review", guard=guard)


def refuse_while_experts_score(nomination, *, doing, rule=None):
    """Ranking a nomination needs the scores of its experts (those not withdrawn for a conflict):
    refused when none is assigned or one has not scored yet. ``rule`` is the check kind of the
    campaign file's criterion the caller enforces (its ID is cited), None where no rule of the
    notice is at stake. One query."""
    counts = nomination.assignments.filter(conflict=False).aggregate(
        assigned=Count("pk"), waiting=Count("pk", filter=Q(scored_at__isnull=True))
    )
    rule_id = nomination.campaign.rule_id_for(rule) if rule else None
    if not counts["assigned"]:
        raise Refused(
            _("“%(name)s”尚未分配评审专家，不能%(doing)s；请先在“评审分配”页分配。")
            % {"name": nomination.name, "doing": doing},
            rule_id=rule_id,
        )
    if counts["waiting"]:
        raise Refused(
            _(
                "“%(name)s”尚有专家未完成评分（%(waiting)s位），不能%(doing)s；请待评分完成后再办理。"
            )
            % {"name": nomination.name, "waiting": counts["waiting"], "doing": doing},
            rule_id=rule_id,
        )


def refuse_beyond_forwarding_cap(category, *, adding):
    """择优推报: a category's nominations shortlisted or further stay within the number the level
    above accepts (``[campaign.review] shortlist_per_category``; none set: no limit).

    The caller holds the category's row lock (``shortlist_many``), so the count is not raced."""
    campaign = category.campaign
    limit = campaign.shortlist_per_category
    if limit is None:
        return
    chosen = Nomination.objects.filter(category=category, status__in=Status.PUBLISHABLE).count()
    if chosen + adding > limit:
        raise Refused(
            _(
                "“%(category)s”每个类别择优推报不超过%(most)s个，已列入%(chosen)s个，"
                "本次又选了%(adding)s个；请减少勾选。"
            )
            % {"category": category.name, "most": limit, "chosen": chosen, "adding": adding},
            rule_id=campaign.rule_id_for("forwarding"),
        )


def announce(user, nomination):
    return _organiser_move(user, nomination, "announce")


def forward(user, nomination, *, today=None):
    """推报: only once its 公示 has ended and every objection to it has been answered."""
    today = today or timezone.localdate()

    def guard(nomination):
        latest = nomination.announcements.order_by("-ends_on").first()
        if latest is not None and today <= latest.ends_on:
            raise Refused(
                _("“%(name)s”的公示期至%(ends)s，期满后才能推报。")
                % {
                    "name": nomination.name,
                    "ends": date_format(latest.ends_on, phrases.padded_date),
                },
                rule_id=nomination.campaign.rule_id_for("forwarding"),
            )
        unanswered = nomination.objections.filter(answered_at__isnull=True).count()
        if unanswered:
            raise Refused(
                _("“%(name)s”尚有%(count)s条公示异议未答复，不能推报；请先在“公示异议”页答复。")
                % {"name": nomination.name, "count": unanswered},
                rule_id=nomination.campaign.rule_id_for("forwarding"),
            )

    return _organiser_move(user, nomination, "forward", guard=guard)


def record_result(user, nomination, *, selected: bool, reason=""):
    return _organiser_move(user, nomination, "select" if selected else "reject", reason)


@transaction.atomic
def decide_flag(user, flag, *, confirmed: bool, reason):
    """The organiser confirms (the candidate is a past winner) or clears a flag, with a reason."""
    require_permission(user, "nominations.decide_flag", flag.nomination)
    if not (reason or "").strip():
        raise Refused(_("核实结论必须填写理由。"), rule_id=flag.rule_id, field="reason")
    flag = Flag.objects.select_for_update().get(pk=flag.pk)
    if flag.status != FlagStatus.OPEN:
        raise Refused(_("该标记已处理。"), rule_id=flag.rule_id)
    flag.status = FlagStatus.CONFIRMED if confirmed else FlagStatus.CLEARED
    flag.decided_by, flag.decided_at, flag.reason = user, timezone.now(), reason.strip()
    flag.save()
    record(
        f"flag.{flag.status}",
        actor=user,
        nomination=flag.nomination,
        reason=flag.reason,
        flag=flag.pk,
        rule_id=flag.rule_id,
    )
    return flag


# A nomination handed in at the level below -------------------------------------------------------


def import_handed_in(
    actor,
    *,
    campaign,
    category,
    unit,
    values,
    photos,
    stamped,
    now,
    source,
    forwarded_from=None,
    history=None,
):
    """Store one nomination arriving from the level below as handed in by ``unit``.

    ``values`` are already cleaned against this campaign's form and the unit's places checked
    (``documents.importing.arrive`` plans the whole lot first); ``photos`` and ``stamped`` are
    ``(ContentFile, original name)`` pairs (``stamped`` may be None), stored as this
    nomination's own copies. ``forwarded_from`` links it to the nomination below when both are
    in this installation; ``history`` is what the level below made of it (read-only here). Runs
    inside the caller's transaction; returns the nomination and the stored files, which the
    caller removes if the transaction fails."""
    name = checks.name_of(category, values)
    nomination = Nomination.objects.create(
        campaign=campaign,
        category=category,
        unit=unit,
        status=Status.SUBMITTED,
        submitted_at=now,
        created_by=actor,
        values=values,
        name=name,
        normalised_name=normalise_name(name),
        forwarded_from=forwarded_from,
        history=history or {},
    )
    stored = []
    for order, (data, original) in enumerate(photos):
        try:
            info = inspect_image(data, "", max_pixels=category.photo_max_pixels)
        except Refused as error:
            raise Refused(
                _("照片“%(name)s”无法识别：%(why)s") % {"name": original, "why": error.message}
            ) from None
        photo = _store_photo(nomination, data, info, order=order)
        stored.extend(file for file in (photo.file, photo.form_copy) if file)
    if stamped is not None:
        data, original = stamped
        attachment = _store_stamped(nomination, data, original, sha256_of(data))
        stored.append(attachment.file)
    record(
        "nomination.import" if forwarded_from is None else "nomination.arrive",
        actor=actor,
        nomination=nomination,
        to_state=Status.SUBMITTED,
        **source,
    )
    tell_handed_in(nomination)
    return nomination, stored
