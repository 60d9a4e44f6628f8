"""Nominations arriving from elsewhere: the one arrival path into a campaign at the level above.

Two ways in, one path: a forwarding package from another installation (``import_package``,
``manage.py import_package``) and a forward from a child campaign in this one
(``review.services.forward_to_parent``). Both hand ``arrive`` a list of entries shaped as the
package's manifest lists its nominations (``category``, ``values``, ``name``, ``uid``) and a way
to read each entry's photos and stamped PDF; ``arrive`` plans every entry against this campaign's
forms and the unit's places before anything is written, then in one transaction stores each as
handed in by the forwarding unit through ``nominations.services.import_handed_in``. Any problem
refuses the whole lot and leaves nothing behind, stored files included; the refusal is ``Refused``.

With ``in_time_and_rules`` (the forward within one installation) the campaign's deadline for the
unit and every machine-checked rule of its file are applied too, as at a unit's own submission.
"""

from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tuixuan.campaigns.kinds import clean_values
from tuixuan.campaigns.models import still_open
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import deadlines
from tuixuan.nominations.models import AttachmentKind
from tuixuan.nominations.places import places_held
from tuixuan.nominations.reports import NominationFacts, evaluate
from tuixuan.nominations.services import import_handed_in
from tuixuan.units.models import Participation

from .package import read_package


def import_package(source, *, campaign, unit, actor=None, now=None) -> list:
    """Import a forwarding package as handed-in nominations of ``unit``; returns them."""
    refuse_unless_taking_part(campaign, unit)
    package = read_package(source)
    try:

        def files(entry):
            photos = [_file(package, item) for item in _files(entry, "photo")]
            stamped = next(
                (
                    _file(package, item, "stamped.pdf")
                    for item in _files(entry, AttachmentKind.STAMPED_PDF)
                ),
                None,
            )
            return photos, stamped

        return arrive(
            package.manifest["nominations"],
            campaign=campaign,
            unit=unit,
            files=files,
            source_key=package.manifest["campaign"].get("key", ""),
            actor=actor,
            now=now,
        )
    finally:
        package.close()


def refuse_unless_taking_part(campaign, unit):
    if not Participation.objects.filter(campaign=campaign, unit=unit).exists():
        raise Refused(f"单位“{unit.name}”不在活动“{campaign.title}”的推荐单位名单中。")


def arrive(
    entries, *, campaign, unit, files, source_key, actor=None, now=None, in_time_and_rules=False
) -> list:
    """Store ``entries`` as nominations handed in by ``unit`` to ``campaign``, all or none.

    ``files(entry)`` returns the entry's photos and stamped PDF as ``(ContentFile, original
    name)`` pairs (the stamped PDF may be None); an entry may also carry ``forwarded_from`` (the
    nomination at the level below, in this installation) and ``history`` (its scores there).
    """
    now = now or timezone.now()
    refuse_unless_taking_part(campaign, unit)
    stored = []
    try:
        with transaction.atomic():
            categories = {c.key: c for c in campaign.categories.prefetch_related("fields")}
            plans = _plan(entries, categories)
            _check_quota(plans, unit)
            if in_time_and_rules:
                _check_deadline(campaign, unit, now)
            created = []
            for entry, category, values in plans:
                photos, stamped = files(entry)
                nomination, written = import_handed_in(
                    actor,
                    campaign=campaign,
                    category=category,
                    unit=unit,
                    values=values,
                    photos=photos,
                    stamped=stamped,
                    now=now,
                    source={"source_campaign": source_key, "source_uid": entry.get("uid", "")},
                    forwarded_from=entry.get("forwarded_from"),
                    history=entry.get("history") or {},
                )
                stored.extend(written)
                created.append(nomination)
            if in_time_and_rules:
                _check_rules(campaign, created, now)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    return created


def _files(entry, role):
    return [item for item in entry["files"] if item["role"] == role]


def _file(package, item, name=None):
    original = item["path"].rsplit("/")[-1]
    return ContentFile(package.read(item["path"]), name=name or original), original


def _plan(entries, categories):
    plans, problems = [], []
    for number, entry in enumerate(entries, start=1):
        label = f"第{number}个推荐（{entry.get('name') or '未命名'}）"
        category = categories.get(entry.get("category"))
        if category is None:
            problems.append(f"{label}：本活动没有类别“{entry.get('category')}”")
            continue
        raw = entry.get("values")
        if not isinstance(raw, dict):
            problems.append(f"{label}：填报内容格式有误")
            continue
        values, errors = clean_values(category.fields.all(), raw)
        problems.extend(f"{label}：{message}" for message in errors.values())
        plans.append((entry, category, values))
    if problems:
        raise Refused("推报内容与本活动的推荐表不符：\n" + "\n".join(problems))
    return plans


def _check_quota(plans, unit):
    """The quota at this level too: the unit's places per category, counting what arrives."""
    incoming = Counter(category for _entry, category, _values in plans)
    if not incoming:
        return
    held_by_category = places_held(next(iter(incoming)).campaign, unit)  # one count for all
    for category, count in incoming.items():
        held = held_by_category[category.pk]
        if not category.has_room(held, count):
            message = (
                f"“{category.name}”每个单位不超过{category.quota}个，"
                f"已有{held}个，本次又推报{count}个。"
            )
            raise Refused(message, rule_id=category.campaign.rule_id_for("quota"))


def _check_deadline(campaign, unit, now):
    closes = deadlines.closes(campaign, unit.pk)
    if not still_open(closes, now):
        raise Refused(
            _("活动“%(campaign)s”的报送截止时间为%(closes)s，已过截止时间，不能推报。")
            % {
                "campaign": campaign.title,
                "closes": date_format(timezone.localtime(closes), "Y-m-d H:i"),
            },
            rule_id=campaign.rule_id_for("deadline"),
        )


def _check_rules(campaign, created, now):
    """Every machine-checked rule of this campaign, on what arrived, as at a unit's submission."""
    facts = NominationFacts(campaign, created)
    for nomination in created:
        report = evaluate(nomination, now=now, facts=facts)
        if not report.passed:
            first = report.failures[0]
            raise Refused(
                _("“%(name)s”不符合活动“%(campaign)s”的推荐条件：%(why)s")
                % {"name": nomination.name, "campaign": campaign.title, "why": first.message},
                rule_id=first.rule_id,
                field=first.field,
            )
