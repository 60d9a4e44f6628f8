"""Importing the list of recommending units from the organiser's spreadsheet."""

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction

from tuixuan.common.exceptions import Refused
from tuixuan.common.tables import ImportResult, missing_columns, read_rows

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
        raise Refused(f"缺少必需的列：{'、'.join(missing)}")
    rows = read_rows(path, COLUMNS)
    problems = [
        *_cell_problems(rows),
        *_duplicate_problems(rows),
        *_parent_problems(rows),
    ]
    if problems:
        raise Refused("\n".join(problems))
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


def _cell_problems(rows):
    limits = {key: RecommendingUnit._meta.get_field(key).max_length for key in ("code", "name")}
    limits["region"] = RecommendingUnit._meta.get_field("region").max_length
    for number, row in rows:
        for key in REQUIRED:
            if not row.get(key):
                yield f"第{number}行：“{COLUMNS[key][0]}”不能为空"
        for key, limit in limits.items():
            if len(row.get(key, "")) > limit:
                yield f"第{number}行：“{COLUMNS[key][0]}”超过{limit}个字"
        if row.get("kind") and row["kind"] not in KIND_NAMES:
            yield f"第{number}行：单位类型“{row['kind']}”无法识别（应为学会、市科协或有关单位）"
        if row.get("code"):
            try:
                validate_slug(row["code"])
            except ValidationError:
                yield (
                    f"第{number}行：单位代码“{row['code']}”只能由英文字母、数字、连字符或下划线组成"
                )


def _duplicate_problems(rows):
    """Codes and names are unique within the file, and a name is not another unit's already."""
    taken = dict(RecommendingUnit.objects.values_list("name", "code"))
    seen = {"code": {}, "name": {}}
    for number, row in rows:
        for key, title in (("code", "单位代码"), ("name", "单位名称")):
            value = row.get(key)
            if value and value in seen[key]:
                yield f"第{number}行：{title}“{value}”与第{seen[key][value]}行重复"
            elif value:
                seen[key][value] = number
        name = row.get("name")
        if name in taken and taken[name] != row.get("code"):
            yield f"第{number}行：单位名称“{name}”已被单位代码“{taken[name]}”使用"


def _parent_problems(rows):
    """Every parent exists (in the file or already), and no chain of parents comes back round."""
    codes = {row["code"] for _number, row in rows if row.get("code")}
    known = set(RecommendingUnit.objects.values_list("code", flat=True)) | codes
    parents = dict(RecommendingUnit.objects.values_list("code", "parent__code"))
    parents.update({row["code"]: row.get("parent") or None for _n, row in rows if row.get("code")})
    for number, row in rows:
        parent = row.get("parent")
        if parent and parent not in known:
            yield f"第{number}行：上级单位代码“{parent}”不存在"
            continue
        step, visited = parent, set()
        while step and step not in visited:
            if step == row.get("code"):
                yield f"第{number}行：上级单位代码“{parent}”形成循环"
                break
            visited.add(step)
            step = parents.get(step)
