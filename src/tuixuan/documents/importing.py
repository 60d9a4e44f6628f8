"""Importing a forwarding package at the level above: read and plan here, write through the
nominations service (``nominations.services.import_handed_in``).

The package is verified completely first (``package.read_package``); then every nomination is
planned against this campaign's forms and the unit's places before anything is written, and
in one transaction each is stored as handed in by the forwarding unit. Any problem refuses the
whole package and leaves nothing behind, stored files included; the refusal is ``Refused``.
"""

from collections import Counter

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from tuixuan.campaigns.kinds import clean_values
from tuixuan.common.exceptions import Refused
from tuixuan.nominations.models import AttachmentKind
from tuixuan.nominations.places import places_held
from tuixuan.nominations.services import import_handed_in
from tuixuan.units.models import Participation

from .package import read_package


def import_package(source, *, campaign, unit, actor=None, now=None) -> list:
    """Import a forwarding package as handed-in nominations of ``unit``; returns them."""
    now = now or timezone.now()
    if not Participation.objects.filter(campaign=campaign, unit=unit).exists():
        raise Refused(f"单位“{unit.name}”不在活动“{campaign.title}”的推荐单位名单中。")
    package = read_package(source)
    stored = []
    try:
        with transaction.atomic():
            categories = {c.key: c for c in campaign.categories.prefetch_related("fields")}
            plans = _plan(package.manifest, categories)
            _check_quota(plans, unit)
            source_key = package.manifest["campaign"].get("key", "")
            created = []
            for entry, category, values in plans:
                nomination, files = import_handed_in(
                    actor,
                    campaign=campaign,
                    category=category,
                    unit=unit,
                    values=values,
                    photos=[_file(package, item) for item in _files(entry, "photo")],
                    stamped=next(
                        (
                            _file(package, item, "stamped.pdf")
                            for item in _files(entry, AttachmentKind.STAMPED_PDF)
                        ),
                        None,
                    ),
                    now=now,
                    source={"source_campaign": source_key, "source_uid": entry.get("uid", "")},
                )
                stored.extend(files)
                created.append(nomination)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    finally:
        package.close()
    return created


def _files(entry, role):
    return [item for item in entry["files"] if item["role"] == role]


def _file(package, item, name=None):
    original = item["path"].rsplit("/")[-1]
    return ContentFile(package.read(item["path"]), name=name or original), original


def _plan(manifest, categories):
    plans, problems = [], []
    for number, entry in enumerate(manifest["nominations"], start=1):
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
        raise Refused("推报包内容与本活动的推荐表不符：\n" + "\n".join(problems))
    return plans


def _check_quota(plans, unit):
    """The quota at this level too: the unit's places per category, counting what is imported."""
    incoming = Counter(category for _entry, category, _values in plans)
    if not incoming:
        return
    held_by_category = places_held(next(iter(incoming)).campaign, unit)  # one count for all
    for category, count in incoming.items():
        held = held_by_category[category.pk]
        if not category.has_room(held, count):
            message = (
                f"“{category.name}”每个单位不超过{category.quota}个，"
                f"已有{held}个，推报包中又有{count}个。"
            )
            raise Refused(message, rule_id=category.campaign.rule_id_for("quota"))
