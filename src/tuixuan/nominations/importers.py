"""Importing the list of past exemplars (the past-winner rule) from the organiser's spreadsheet."""

from django.db import transaction

from tuixuan.common.exceptions import Refused
from tuixuan.common.tables import ImportResult, missing_columns, read_rows
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
        raise Refused(f"缺少必需的列：{'、'.join(missing)}")
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
        raise Refused("\n".join(problems))
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
