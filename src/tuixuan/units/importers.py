"""Importing the list of recommending units from the organiser's spreadsheet."""

from django.db import transaction

from tuixuan.common.tables import ImportRefused, ImportResult, missing_columns, read_rows

from .models import Participation, RecommendingUnit, UnitKind

COLUMNS = {
    "code": ("单位代码", "code"),
    "name": ("单位名称", "name"),
    "kind": ("单位类型", "kind"),
    "region": ("所在地区", "region"),
    "parent": ("上级单位代码", "parent"),
}
REQUIRED = ("code", "name", "kind")
KIND_NAMES = {
    **{kind.value: kind for kind in UnitKind},
    **{kind.label: kind for kind in UnitKind},
    "学会": UnitKind.SOCIETY,
    "协会": UnitKind.SOCIETY,
    "研究会": UnitKind.SOCIETY,
}


def import_units(path, *, campaign=None) -> ImportResult:
    """Create or update units by code; with a campaign, they also join it. All rows or none."""
    missing = missing_columns(path, COLUMNS, REQUIRED)
    if missing:
        raise ImportRefused([f"缺少必需的列：{'、'.join(missing)}"])
    rows = read_rows(path, COLUMNS)
    problems, seen_codes, seen_names = [], {}, {}
    for number, row in rows:
        for key in REQUIRED:
            if not row.get(key):
                problems.append(f"第{number}行：“{COLUMNS[key][0]}”不能为空")
        if row.get("kind") and row["kind"] not in KIND_NAMES:
            problems.append(
                f"第{number}行：单位类型“{row['kind']}”无法识别（应为学会、市科协或有关单位）"
            )
        unique = (
            (row.get("code"), seen_codes, "单位代码"),
            (row.get("name"), seen_names, "单位名称"),
        )
        for value, seen, title in unique:
            if value and value in seen:
                problems.append(f"第{number}行：{title}“{value}”与第{seen[value]}行重复")
            elif value:
                seen[value] = number
    known = set(RecommendingUnit.objects.values_list("code", flat=True)) | set(seen_codes)
    for number, row in rows:
        if row.get("parent") and row["parent"] not in known:
            problems.append(f"第{number}行：上级单位代码“{row['parent']}”不存在")
    if problems:
        raise ImportRefused(problems)
    result = ImportResult()
    with transaction.atomic():
        units = {}
        for _number, row in rows:
            unit, created = RecommendingUnit.objects.update_or_create(
                code=row["code"],
                defaults={
                    "name": row["name"],
                    "kind": KIND_NAMES[row["kind"]],
                    "region": row.get("region", ""),
                },
            )
            units[unit.code] = unit
            result.created += created
            result.updated += not created
        for _number, row in rows:
            if row.get("parent"):
                unit = units[row["code"]]
                unit.parent = units.get(row["parent"]) or RecommendingUnit.objects.get(
                    code=row["parent"]
                )
                unit.save(update_fields=["parent"])
        if campaign is not None:
            for unit in units.values():
                Participation.objects.get_or_create(campaign=campaign, unit=unit)
    return result
