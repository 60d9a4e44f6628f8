"""Importing the list of past exemplars (G4) from the organiser's spreadsheet."""

from django.db import transaction

from tuixuan.common.tables import ImportRefused, ImportResult, missing_columns, read_rows
from tuixuan.common.text import normalise_name

from .models import PastWinner

COLUMNS = {
    "name": ("姓名或名称", "名称", "姓名", "name"),
    "year": ("入选年度", "年度", "year"),
    "category": ("类别", "category"),
    "unit": ("推荐单位", "所在地区", "unit"),
}
REQUIRED = ("name", "year")


def import_past_winners(path) -> ImportResult:
    """Add past winners; a row already known (same normalised name, year and category) is kept."""
    missing = missing_columns(path, COLUMNS, REQUIRED)
    if missing:
        raise ImportRefused([f"缺少必需的列：{'、'.join(missing)}"])
    rows = read_rows(path, COLUMNS)
    problems, cleaned = [], []
    for number, row in rows:
        if not row.get("name"):
            problems.append(f"第{number}行：“姓名或名称”不能为空")
        for key, field in (("name", "name"), ("category", "category_name"), ("unit", "unit_name")):
            limit = PastWinner._meta.get_field(field).max_length
            if len(row.get(key, "")) > limit:
                problems.append(f"第{number}行：“{COLUMNS[key][0]}”超过{limit}个字")
        year = row.get("year", "").replace(" ", "").removesuffix("年度").removesuffix("年")
        if not (year.isdigit() and 1949 <= int(year) <= 2100):
            problems.append(f"第{number}行：入选年度“{row.get('year', '')}”应为四位年份，如2021")
            continue
        cleaned.append((row, int(year)))
    if problems:
        raise ImportRefused(problems)
    result = ImportResult()
    with transaction.atomic():
        for row, year in cleaned:
            _, created = PastWinner.objects.get_or_create(
                normalised_name=normalise_name(row["name"]),
                year=year,
                category_name=row.get("category", ""),
                defaults={"name": row["name"], "unit_name": row.get("unit", "")},
            )
            result.created += created
            result.updated += not created
    return result


def import_package(source, *, campaign, unit, actor=None, now=None) -> list:
    """Import a forwarding package at the level above, as submitted nominations of ``unit``.

    The package is verified completely first (``documents.package.read_package``); then, in one
    transaction, each nomination is created in the category with the same key, its values cleaned
    against this campaign's form, its photos and stamped PDF stored. Any problem refuses the whole
    package and leaves nothing behind, stored files included.
    """
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tuixuan.campaigns.checks import name_of
    from tuixuan.campaigns.fields import clean_values
    from tuixuan.common.audit import record
    from tuixuan.documents.package import PackageError, read_package
    from tuixuan.units.models import Participation

    from .files import BadFile, attach_form_copy, inspect_image
    from .models import QUOTA_STATES, Attachment, AttachmentKind, Nomination, Photo, Status
    from .services import render_pdf_later

    now = now or timezone.now()
    if not Participation.objects.filter(campaign=campaign, unit=unit).exists():
        raise PackageError(f"单位“{unit.name}”不在活动“{campaign.title}”的推荐单位名单中。")
    package = read_package(source)
    stored = []
    try:
        with transaction.atomic():
            categories = {c.key: c for c in campaign.categories.prefetch_related("fields")}
            plans = _plan(package.manifest, categories, clean_values)
            _check_quota(plans, campaign, unit, QUOTA_STATES)
            created = []
            source_key = package.manifest["campaign"].get("key", "")
            for entry, category, values in plans:
                nomination = Nomination(
                    campaign=campaign,
                    category=category,
                    unit=unit,
                    status=Status.SUBMITTED,
                    submitted_at=now,
                    created_by=actor,
                    values=values,
                    name=name_of(category, values),
                    normalised_name=normalise_name(name_of(category, values)),
                )
                nomination.save()
                for order, item in enumerate(f for f in entry["files"] if f["role"] == "photo"):
                    data = ContentFile(
                        package.read(item["path"]), name=item["path"].rsplit("/")[-1]
                    )
                    try:
                        info = inspect_image(data, max_pixels=category.photo_max_pixels)
                    except BadFile as error:
                        raise PackageError(f"照片“{item['path']}”无法识别：{error}") from None
                    photo = Photo(
                        nomination=nomination,
                        original_name=data.name,
                        content_type=info.content_type,
                        size=info.size,
                        width=info.width,
                        height=info.height,
                        sha256=info.sha256,
                        order=order,
                    )
                    photo.file.save(data.name, data, save=False)
                    stored.append(photo.file)
                    attach_form_copy(photo, data)
                    if photo.form_copy:
                        stored.append(photo.form_copy)
                    photo.save()
                for item in (f for f in entry["files"] if f["role"] == AttachmentKind.STAMPED_PDF):
                    data = ContentFile(package.read(item["path"]), name="stamped.pdf")
                    attachment = Attachment(
                        nomination=nomination,
                        kind=AttachmentKind.STAMPED_PDF,
                        original_name=item["path"].rsplit("/")[-1],
                        size=item["size"],
                        sha256=item["sha256"],
                    )
                    attachment.file.save(data.name, data, save=False)
                    stored.append(attachment.file)
                    attachment.save()
                record(
                    "nomination.import",
                    actor=actor,
                    nomination=nomination,
                    to_state=Status.SUBMITTED,
                    source_campaign=source_key,
                    source_uid=entry.get("uid", ""),
                )
                render_pdf_later(nomination)
                created.append(nomination)
    except BaseException:
        for file in stored:
            file.storage.delete(file.name)
        raise
    finally:
        package.close()
    return created


def _plan(manifest, categories, clean_values):
    from tuixuan.documents.package import PackageError

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
        raise PackageError("推报包内容与本活动的推荐表不符：\n" + "\n".join(problems))
    return plans


def _check_quota(plans, campaign, unit, quota_states):
    """G1 at this level too: the unit's places in each category, counting what is imported."""
    from collections import Counter

    from tuixuan.documents.package import PackageError

    incoming = Counter(category for _entry, category, _values in plans)
    for category, count in incoming.items():
        held = category.nominations.filter(unit=unit, status__in=quota_states).count()
        if held + count > category.quota:
            raise PackageError(
                f"【G1】“{category.name}”每个单位不超过{category.quota}个，"
                f"已有{held}个，推报包中又有{count}个。"
            )
