"""Campaign files: TOML in, a checked campaign out; or a list of problems, and nothing written.

A campaign file says everything a notice says (see ``campaigns/gx-2024.toml``). The schema lives
here, in code a reviewer can read top to bottom; ``docs/campaign-file.md`` explains it.
Every problem names the file, the key (``category[2].field[3].kind``) or, for a TOML syntax error,
the line, and what is wrong, in Chinese.
"""

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tuixuan.common.exceptions import CampaignFileError

from . import configuration, kinds
from .checks import CHECKS, FIELD
from .layout import CHOSEN_SIZES, FLAGS, NUMBERS, SIZES, TEXTS
from .models import (
    Campaign,
    Category,
    Criterion,
    FieldKind,
    FieldSpec,
    Level,
    RubricItem,
    ScoreAggregate,
    Severity,
)

KEY = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
DEFAULT_STAMPED_PDF_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class CategoryData:
    values: dict
    fields: list[dict] = field(default_factory=list)
    criteria: list[dict] = field(default_factory=list)
    rubric: list[dict] = field(default_factory=list)


@dataclass
class CampaignData:
    values: dict
    criteria: list[dict]
    categories: list[CategoryData]
    source: str
    source_name: str


class _Table:
    """Reads one TOML table, recording a problem for every wrong or unknown key."""

    def __init__(self, table, where, problems):
        self.table = table if isinstance(table, dict) else {}
        self.where = where
        self.problems = problems
        self.seen = set()
        if not isinstance(table, dict):
            self.problem("", "应为一个表（table）")

    def problem(self, key, text):
        place = f"{self.where}.{key}" if key and self.where else (key or self.where)
        self.problems.append(f"{place}：{text}")

    def get(self, key, kind, *, required=False, default=None, check=None, describe=""):
        self.seen.add(key)
        if key not in self.table:
            if required:
                self.problem(key, f"缺少必填项“{key}”")
            return default
        value = self.table[key]
        if not _is_kind(value, kind):
            self.problem(key, f"应为{describe or _KIND_WORDS[kind]}，而不是{_describe(value)}")
            return default
        if check is not None:
            problem = check(value)
            if problem:
                self.problem(key, problem)
                return default
        return value

    def text(self, key, *, required=False, default=""):
        value = self.get(key, str, required=required, default=default)
        if required and key in self.table and value is not None and not value.strip():
            self.problem(key, "不能为空")
        return value

    def key(self, key="key"):
        return self.get(
            key,
            str,
            required=True,
            check=lambda v: (
                None if KEY.match(v) else "只能使用小写英文字母、数字、下划线和连字符，并以字母开头"
            ),
        )

    def choice(self, key, allowed, *, required=False, default=None):
        return self.get(
            key,
            str,
            required=required,
            default=default,
            check=lambda v: (
                None if v in allowed else f"“{v}”不是可用的取值；可用：{'、'.join(allowed)}"
            ),
        )

    def positive(self, key, *, required=False, default=None, zero=False):
        low = 0 if zero else 1
        return self.get(
            key,
            int,
            required=required,
            default=default,
            check=lambda v: None if v >= low else f"应为不小于{low}的整数",
        )

    def tables(self, key, *, required=False):
        value = self.get(key, list, required=required, default=[], describe="表的数组（[[...]]）")
        if required and value == [] and isinstance(self.table.get(key), list):
            self.problem(key, f"至少需要一个“[[{key}]]”")
        return value

    def finish(self):
        for key in self.table:
            if key not in self.seen:
                self.problem(key, f"未知的设置项“{key}”（是否拼写错误？）")


_KIND_WORDS = {
    str: "文字",
    int: "整数",
    bool: "true 或 false",
    list: "数组",
    dict: "表",
    date: "日期（如 2024-12-31）",
    datetime: "带时区的时间（如 2025-02-13T23:59:59+08:00）",
    (int, float): "数字",
    float: "数字",
}


def _is_kind(value, kind) -> bool:
    if kind is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    if kind in (int, (int, float), float):
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and (kind is not int or isinstance(value, int))
        )
    return isinstance(value, kind)


# A wrong value as a problem names it, by its TOML type (bool first: True is an int too).
_VALUE_WORDS = (
    (bool, "布尔值 {value}"),
    (datetime, "时间"),
    (date, "日期"),
    (int | float, "数字 {value}"),
    (str, "文字“{value:.30}”"),
    (list, "数组"),
    (dict, "表"),
)


def _describe(value) -> str:
    for kind, words in _VALUE_WORDS:
        if isinstance(value, kind):
            return words.format(value=str(value).lower() if isinstance(value, bool) else value)
    return type(value).__name__


# Reading -------------------------------------------------------------------------------------


def read_campaign_file(path) -> CampaignData:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CampaignFileError(str(path), ["文件不存在"]) from None
    except UnicodeDecodeError:
        raise CampaignFileError(str(path), ["不是 UTF-8 编码的文本文件"]) from None
    return parse_campaign(text, path.name)


def parse_campaign(text: str, source_name: str) -> CampaignData:
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CampaignFileError(source_name, [_syntax_problem(error, text)]) from None
    problems: list[str] = []
    root = _Table(document, "", problems)
    table = root.get("campaign", dict, required=True)
    campaign = _campaign(table, problems) if table is not None else {}
    campaign["layout"] = _layout(root.get("layout", dict, default={}), problems)
    criteria = [
        _criterion(table, f"criterion[{n}]", None, problems, campaign_wide=True)
        for n, table in enumerate(root.tables("criterion"), start=1)
    ]
    categories = [
        _category(table, f"category[{n}]", campaign, problems)
        for n, table in enumerate(root.tables("category", required=True), start=1)
    ]
    root.finish()
    _unique([c.values.get("key") for c in categories], "category", "key", problems)
    if problems:
        raise CampaignFileError(source_name, problems)
    return CampaignData(campaign, criteria, categories, text, source_name)


def _syntax_problem(error, text) -> str:
    message = str(error)
    match = re.search(r"\(at line (\d+), column (\d+)\)", message)
    detail = re.sub(r"\s*\(at line \d+, column \d+\)", "", message)
    if match:
        return f"第{match.group(1)}行第{match.group(2)}列：TOML 语法错误（{detail}）"
    return f"第{text.count(chr(10)) + 1}行（文件末尾）：TOML 语法错误（{detail}）"


def _campaign(table, problems) -> dict:
    t = _Table(table, "campaign", problems)
    values = {
        "key": t.key(),
        "title": t.text("title", required=True),
        "year": t.positive("year", required=True),
        "level": t.choice("level", Level.values, required=True),
        "region": t.text("region"),
        "issuer": t.text("issuer", required=True),
        "organiser": t.text("organiser", required=True),
        "document_number": t.text("document_number"),
        "issued_on": t.get("issued_on", date),
        "forward_to": t.text("forward_to"),
        "parent": t.text("parent"),
        "parent_unit": t.text("parent_unit"),
        "summary": t.text("summary"),
        "submission": t.text("submission"),
        "deadline": t.get(
            "deadline",
            datetime,
            required=True,
            check=lambda v: None if v.tzinfo else "必须带时区，如 2025-02-13T23:59:59+08:00",
        ),
        "reference_date": t.get("reference_date", date, required=True),
        "quota_per_unit": t.positive("quota_per_unit", required=True),
        "stamped_pdf_max_bytes": t.positive(
            "stamped_pdf_max_bytes", default=DEFAULT_STAMPED_PDF_MAX_BYTES
        ),
        "contacts": _contacts(t.get("contacts", dict, default={}), problems),
        "photos": _photos(t.get("photos", dict, default={}), "campaign.photos", {}, problems),
        **_review(t.get("review", dict, default={}), problems),
        "calendar": _calendar(t.get("calendar", dict, default={}), problems),
    }
    values["past_winner_from"] = values["past_winner_to"] = None
    if values["parent"] and values["parent"] == values["key"]:
        t.problem("parent", "上级活动不能是本活动自己")
    if values["parent_unit"] and not values["parent"]:
        t.problem("parent_unit", "只有写明上级活动（parent）时才能填写在上级活动中的推荐单位代码")
    years = t.get("past_winner_years", list, describe="两个年度组成的数组，如 [2019, 2023]")
    if years is not None:
        plain = all(isinstance(y, int) and not isinstance(y, bool) for y in years)
        if len(years) == 2 and plain and years[0] <= years[1]:
            values["past_winner_from"], values["past_winner_to"] = years
        else:
            t.problem("past_winner_years", "应为两个年度组成的数组，如 [2019, 2023]")
    t.finish()
    return values


def _layout(table, problems) -> dict:
    """The forms' layout (``campaigns/layout.py``): only what the file sets; defaults fill in."""
    t = _Table(table, "layout", problems)
    values = {}
    for key, (low, high) in NUMBERS.items():
        values[key] = t.get(
            key,
            int,
            check=lambda v, low=low, high=high: (
                None if low <= v <= high else f"应为{low}到{high}之间的整数"
            ),
        )
    for key in FLAGS:
        values[key] = t.get(key, bool)
    for key in TEXTS:
        if key in CHOSEN_SIZES:
            values[key] = t.choice(key, list(SIZES))
        else:
            values[key] = t.get(key, str)
    t.finish()
    return {key: value for key, value in values.items() if value is not None}


def _review(table, problems) -> dict:
    t = _Table(table, "campaign.review", problems)
    review = {
        "reviewers_per_nomination": t.positive("reviewers_per_nomination", default=3),
        "score_aggregate": t.choice("aggregate", ScoreAggregate.values, default="mean"),
        "shortlist_per_category": t.positive("shortlist_per_category"),
        "announcement_working_days": t.positive("announcement_working_days", default=5),
        "objection_contact": t.text("objection_contact"),
    }
    t.finish()
    return review


def _calendar(table, problems) -> dict:
    """Announced changes of China's working days (``campaigns/workdays.py``), as ISO dates;
    no day may be both a holiday and a working day."""
    t = _Table(table, "campaign.calendar", problems)
    changes = {}
    for key in ("holidays", "working_days"):
        days = t.get(key, list, default=[], describe="日期的数组，如 [2026-10-09]")
        wrong = [day for day in days if not _is_kind(day, date)]
        if wrong:
            t.problem(key, f"应为日期的数组（如 [2026-10-09]），其中有{_describe(wrong[0])}")
        elif days:
            changes[key] = sorted({day.isoformat() for day in days})
    both = sorted(set(changes.get("holidays", ())) & set(changes.get("working_days", ())))
    if both:
        t.problem("working_days", f"{'、'.join(both)}不能既是假日又是工作日")
    t.finish()
    return changes


def _each(tables, where, problems, read) -> list[dict]:
    """An array of tables, each read by ``read(t)`` from a ``_Table`` named by its place
    (``where[n]``, counted from 1 as people count), which then reports the keys nobody read."""
    cleaned = []
    for n, table in enumerate(tables, start=1):
        t = _Table(table, f"{where}[{n}]", problems)
        cleaned.append(read(t))
        t.finish()
    return cleaned


def _rubric_item(t) -> dict:
    return {
        "key": t.key(),
        "label": t.text("label", required=True),
        "max_score": t.positive("max", required=True),
        "weight": t.get(
            "weight",
            (int, float),
            default=1,
            check=lambda v: None if 0 < v <= 100 else "应大于0且不超过100",
        ),
    }


def _rubric(items, where, problems) -> list[dict]:
    rubric = _each(items, where, problems, _rubric_item)
    _unique([r.get("key") for r in rubric], where, "key", problems)
    return rubric


def _contacts(table, problems) -> dict:
    t = _Table(table, "campaign.contacts", problems)
    contacts = {
        "office": t.text("office"),
        "people": _strings(t, "people"),
        "phones": _strings(t, "phones"),
        "email": t.text("email"),
    }
    t.finish()
    return contacts


def _strings(t, key) -> list[str]:
    value = t.get(key, list, default=[])
    if not all(isinstance(item, str) and item.strip() for item in value):
        t.problem(key, "应为非空文字组成的数组")
        return []
    return value


PHOTO_KEYS = ("min", "max", "min_bytes", "max_bytes")


def _photos(table, where, defaults, problems) -> dict:
    t = _Table(table, where, problems)
    photos = dict(defaults)
    label = t.text("label")
    if label:
        photos["label"] = label
    for key in PHOTO_KEYS:
        value = t.positive(key, zero=key == "min")
        if value is not None:
            photos[key] = value
    t.finish()
    # Judged where the bounds are set: a category inheriting both is not blamed again.
    own = set(t.table)
    if own & {"min", "max"} and photos.get("min", 0) > photos.get("max", 10**9):
        t.problem("", "照片最少张数不能大于最多张数")
    if own & {"min_bytes", "max_bytes"} and photos.get("min_bytes", 0) > photos.get(
        "max_bytes", 10**12
    ):
        t.problem("", "照片最小字节数不能大于最大字节数")
    return photos


def _category(table, where, campaign, problems) -> CategoryData:
    t = _Table(table, where, problems)
    name = t.text("name", required=True)
    if name:
        t.where = where = f"{where}（{name}）"
    values = {
        "key": t.key(),
        "rule_prefix": t.text("rule_prefix", required=True),
        "name": name,
        "form_title": t.text("form_title", required=True),
        "name_field": t.text("name_field", required=True),
        "identity_field": t.text("identity_field"),
        "quota_per_unit": t.positive("quota_per_unit"),
    }
    photos = _photos(
        t.get("photos", dict, default={}), f"{where}.photos", campaign.get("photos", {}), problems
    )
    missing = [key for key in ("label", *PHOTO_KEYS) if key not in photos]
    if missing:
        t.problem(
            "photos", f"缺少照片要求：{'、'.join(missing)}（可在 campaign.photos 中统一设置）"
        )
    values["photos"] = photos
    fields = [
        _field(item, f"{where}.field[{n}]", problems)
        for n, item in enumerate(t.tables("field", required=True), start=1)
    ]
    by_key = {f["key"]: f for f in fields if f.get("key")}
    _unique([f.get("key") for f in fields], f"{where}.field", "key", problems)
    if values["name_field"] and values["name_field"] not in by_key:
        t.problem("name_field", f"字段“{values['name_field']}”不存在")
    if values["identity_field"] and values["identity_field"] not in by_key:
        t.problem("identity_field", f"字段“{values['identity_field']}”不存在")
    criteria = [
        _criterion(item, f"{where}.criterion[{n}]", by_key, problems)
        for n, item in enumerate(t.tables("criterion"), start=1)
    ]
    rubric = _rubric(t.tables("rubric"), f"{where}.rubric", problems)
    t.finish()
    return CategoryData(values, fields, criteria, rubric)


def _field(table, where, problems) -> dict:
    t = _Table(table, where, problems)
    spec = {
        "key": t.key(),
        "label": t.text("label", required=True),
        "kind": t.choice("kind", FieldKind.values, required=True),
        "required": t.get("required", bool, default=True),
        "public": t.get("public", bool, default=False),
        "personal": t.get("personal", bool, default=False),
        "group": t.text("group"),
        "help_text": t.text("help"),
    }
    options = {}
    reads = kinds.REGISTRY[spec["kind"]].options_read if spec["kind"] else frozenset()
    choices = _strings(t, "choices")
    allow_other = t.get("allow_other", bool, default=False)
    if "choices" in reads:
        if not choices:
            t.problem("choices", "单选、多选字段需要“choices”选项列表")
        options.update(choices=choices, allow_other=allow_other)
    elif choices or allow_other:
        t.problem("choices", "只有单选、多选字段可以设置选项")
    parts = t.get("parts", list, default=[])
    if parts:
        if "parts" not in reads:
            t.problem("parts", "只有地址字段可以分级（parts）")
        options["parts"] = _parts(parts, f"{where}.parts", problems)
    items = t.get("item", list, default=[], describe="表的数组（[[...item]]）")
    if items:
        if "items" not in reads:
            t.problem("item", "只有列表字段可以设置列表项（item）")
        options["items"] = _items(items, f"{where}.item", problems)
    if spec["public"] and spec["personal"]:
        t.problem("public", "个人信息（personal = true）不能设为公开")
    elif spec["public"] and spec["kind"] and _kind_of(spec, options).personal:
        t.problem("public", "联系方式（电话、电子邮箱，含列表中的电话列）不能设为公开")
    t.finish()
    spec["options"] = options
    return spec


def _kind_of(spec, options):
    return kinds.of(
        {"key": spec["key"], "label": spec["label"], "kind": spec["kind"], "options": options}
    )


def _parts(parts, where, problems) -> list[dict]:
    return _each(
        parts, where, problems, lambda t: {"key": t.key(), "label": t.text("label", required=True)}
    )


ITEM_KINDS = [value for value in FieldKind.values if kinds.REGISTRY[value].may_be_list_item]


def _item(t) -> dict:
    return {
        "key": t.key(),
        "label": t.text("label", required=True),
        "kind": t.choice("kind", ITEM_KINDS, required=True),
    }


def _items(items, where, problems) -> list[dict]:
    return _each(items, where, problems, _item)


def _criterion(table, where, fields, problems, campaign_wide=False) -> dict:
    t = _Table(table, where, problems)
    spec = {
        "rule_id": t.text("id", required=True),
        "name": t.get(
            "name",
            str,
            default="",
            check=lambda v: None if 0 < len(v.strip()) <= 12 else "应为1至12个字的简称",
        ),
        "text": t.text("text", required=True),
        "check_kind": t.choice("check", sorted(CHECKS), required=True),
        "field": t.text("field"),
        "severity": t.choice("severity", Severity.values, default=Severity.ERROR),
        "params": {},
    }
    kind = CHECKS.get(spec["check_kind"])
    if kind is None:
        return spec  # its parameters cannot be judged without knowing the check
    if kind.process and not campaign_wide:
        t.problem(
            "check",
            f"检查方式“{kind.name}”针对整个活动的工作，只能写在全活动通用的 [[criterion]] 中",
        )
    if campaign_wide and not kind.campaign_wide:
        t.problem(
            "check", f"检查方式“{kind.name}”针对具体字段，只能写在类别的 [[category.criterion]] 中"
        )
    field_key = spec["field"]
    if kind.field_kinds is None and field_key:
        t.problem("field", f"检查方式“{kind.name}”不针对字段，请删除“field”")
    elif kind.field_kinds is not None and None not in kind.field_kinds and not field_key:
        t.problem("field", f"检查方式“{kind.name}”需要指明字段（field）")
    elif field_key and fields is None:
        t.problem("field", "全活动通用的条件不能指明字段")
    elif field_key:
        spec_field = fields.get(field_key)
        if spec_field is None:
            t.problem("field", f"字段“{field_key}”在本类别中不存在")
        elif spec_field["kind"] is None:
            pass  # its unknown kind is reported where the field is defined
        elif spec_field["kind"] not in kind.field_kinds:
            t.problem(
                "field",
                f"检查方式“{kind.name}”不适用于{FieldKind(spec_field['kind']).label}字段“{field_key}”",
            )
        elif (
            kind.name == "registered" and "items" in kinds.REGISTRY[spec_field["kind"]].options_read
        ):
            item_kinds = [item["kind"] for item in spec_field["options"].get("items", [])]
            if not set(item_kinds) & kinds.with_trait("registration"):
                t.problem("field", f"列表字段“{field_key}”的列表项中没有“大美志愿”注册项")
    for name, param in kind.params.items():
        spec["params"][name] = _param(t, name, param, kind, fields)
    spec["params"] = {k: v for k, v in spec["params"].items() if v is not None}
    t.finish()
    return spec


def _param(t, name, param, kind, fields):
    if param.kind == FIELD:
        value = t.get(name, str, required=param.required)
        named = (fields or {}).get(value) if value else None
        if value and named is None:
            t.problem(name, f"字段“{value}”在本类别中不存在")
            return None
        if named and named["kind"] is not None and named["kind"] not in kind.field_kinds:
            t.problem(name, f"检查方式“{kind.name}”的“{name}”应为数值字段，“{value}”不是")
            return None
        return value
    low = param.minimum
    return t.get(
        name,
        param.kind,
        required=param.required,
        check=None if low is None else lambda v: None if v >= low else f"应不小于{low:g}",
    )


def _unique(keys, where, name, problems):
    seen = set()
    for key in keys:
        if key and key in seen:
            problems.append(f"{where}：“{name} = {key}”重复")
        seen.add(key)


# Writing -------------------------------------------------------------------------------------


def load_campaign_file(path) -> Campaign:
    return save_campaign(read_campaign_file(path))


@transaction.atomic
def save_campaign(data: CampaignData) -> Campaign:
    """Create the campaign or bring an existing one (same key) in line with the file.

    Categories, fields and criteria are matched by key and updated in place, so nominations keep
    their category; fields and criteria no longer in the file are removed (stored values stay in the
    nominations). A category still holding nominations cannot be dropped.

    The campaign's configuration moves on by one revision, however many rows changed (none, for
    the same file again), so every process reads it afresh (``configuration.py``).
    """
    with configuration.one_revision():
        campaign = _save_campaign(data)
        configuration.changed(campaign.pk)
    campaign.refresh_from_db(fields=["revision"])
    return campaign


def _save_campaign(data: CampaignData) -> Campaign:
    values = dict(data.values)
    photos_default = values.pop("photos")
    del photos_default  # categories carry their own merged photo rules
    parent_key = values.pop("parent")
    parent = None
    if parent_key:
        parent = Campaign.objects.filter(key=parent_key).first()
        if parent is None:
            raise CampaignFileError(
                data.source_name, [f"campaign.parent：上级活动“{parent_key}”尚未载入，请先载入它"]
            )
    campaign, _ = Campaign.objects.update_or_create(
        key=values.pop("key"),
        defaults={
            **values,
            "parent": parent,
            "source": data.source,
            "source_name": data.source_name,
            "loaded_at": timezone.now(),
        },
    )
    kept = []
    for order, category_data in enumerate(data.categories):
        category = _save_category(campaign, category_data, order)
        kept.append(category.pk)
    stale = campaign.categories.exclude(pk__in=kept)
    in_use = stale.filter(nominations__isnull=False).distinct()
    if in_use.exists():
        raise CampaignFileError(
            data.source_name,
            [f"类别“{c.name}”已有推荐，不能从活动文件中删除" for c in in_use],
        )
    stale.delete()
    campaign.criteria.filter(category__isnull=True).delete()
    Criterion.objects.bulk_create(
        Criterion(campaign=campaign, category=None, order=order, **spec)
        for order, spec in enumerate(data.criteria)
    )
    return campaign


def _save_category(campaign, data: CategoryData, order) -> Category:
    values = dict(data.values)
    photos = values.pop("photos")
    category, _ = Category.objects.update_or_create(
        campaign=campaign,
        key=values.pop("key"),
        defaults={
            **values,
            "order": order,
            "photo_label": photos["label"],
            "photo_min": photos["min"],
            "photo_max": photos["max"],
            "photo_min_bytes": photos["min_bytes"],
            "photo_max_bytes": photos["max_bytes"],
        },
    )
    char_limits = {
        spec["field"]: spec["params"]["max"]
        for spec in data.criteria
        if spec["check_kind"] == "max_chars"
    }
    keys = []
    for position, spec in enumerate(data.fields):
        spec = dict(spec)
        key = spec.pop("key")
        if key in char_limits:
            spec["options"] = {**spec["options"], "max_chars": char_limits[key]}
        FieldSpec.objects.update_or_create(
            category=category, key=key, defaults={**spec, "order": position}
        )
        keys.append(key)
    category.fields.exclude(key__in=keys).delete()
    category.criteria.all().delete()
    Criterion.objects.bulk_create(
        Criterion(campaign=campaign, category=category, order=position, **spec)
        for position, spec in enumerate(data.criteria)
    )
    _save_rubric(category, data.rubric)
    return category


def _save_rubric(category, rubric):
    """Matched by key, so experts' scores keep their rubric line; a scored line cannot go."""
    keys = []
    for position, item in enumerate(rubric):
        item = dict(item)
        RubricItem.objects.update_or_create(
            category=category, key=item.pop("key"), defaults={**item, "order": position}
        )
        keys.append(rubric[position]["key"])
    stale = category.rubric.exclude(key__in=keys)
    if stale.filter(scores__isnull=False).exists():
        raise CampaignFileError(
            category.campaign.source_name,
            [f"类别“{category.name}”的评分项已有专家评分，不能从活动文件中删除"],
        )
    stale.delete()
