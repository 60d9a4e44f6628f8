"""What the API sends and accepts. Plain data; the services and the rule engine do the work."""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from pydantic import BaseModel, model_validator

from tuixuan.campaigns import kinds
from tuixuan.nominations.models import AttachmentKind, SealState, Status


class ErrorOut(Schema):
    rule_id: str = Field("", description=_("规则编号，即活动文件中该条件的编号；无对应规则时为空"))
    field: str = Field("", description=_("出错的字段标识"))
    message: str = Field(description=_("说明，使用请求的语言（默认中文）"))
    errors: dict[str, str] = Field(default_factory=dict, description=_("按字段列出的错误"))


class RuleResultOut(Schema):
    rule_id: str
    status: str = Field(description="pass | fail | warning | manual")
    status_label: str
    message: str
    field: str
    criterion: str = Field(description=_("通知原文"))


class ReportOut(Schema):
    passed: bool
    failures: int
    warnings: int
    results: list[RuleResultOut]


class RulesNotMetOut(ErrorOut):
    report: ReportOut | None = Field(
        None,
        description=_(
            "因推荐条件不符合而未能提交时附完整检查结果；其他拒绝（如状态不允许）时无此项"
        ),
    )


def report_out(report) -> dict:
    return {
        "passed": report.passed,
        "failures": len(report.failures),
        "warnings": len(report.warnings),
        "results": [
            {
                "rule_id": r.rule_id,
                "status": r.status,
                "status_label": r.status_label,
                "message": r.message,
                "field": r.field,
                "criterion": r.criterion,
            }
            for r in report.results
        ],
    }


# Campaigns (public) ----------------------------------------------------------------------------


class FieldSpecOut(Schema):
    key: str
    label: str
    kind: str
    required: bool
    public: bool
    group: str
    help_text: str
    options: dict[str, Any]
    example: Any = Field(description=_("该字段的值在 values 中的格式示例（JSON）"))

    @staticmethod
    def resolve_example(obj):
        return kinds.of(obj).json_example()


class CriterionOut(Schema):
    rule_id: str
    text: str
    check: str = Field(alias="check_kind")
    field: str
    params: dict[str, Any]
    severity: str


class PhotoRulesOut(Schema):
    label: str = Field(alias="photo_label")
    min: int = Field(alias="photo_min")
    max: int = Field(alias="photo_max")
    min_bytes: int = Field(alias="photo_min_bytes")
    max_bytes: int = Field(alias="photo_max_bytes")


class CategoryOut(Schema):
    key: str
    name: str
    form_title: str
    rule_prefix: str
    quota: int
    photos: PhotoRulesOut
    fields: list[FieldSpecOut]
    criteria: list[CriterionOut]

    @staticmethod
    def resolve_photos(obj):
        return obj

    @staticmethod
    def resolve_fields(obj):
        return list(obj.fields.all())

    @staticmethod
    def resolve_criteria(obj):
        return list(obj.criteria.all())


class CampaignSummaryOut(Schema):
    key: str
    title: str
    year: int
    level: str
    region: str
    issuer: str
    document_number: str
    deadline: datetime
    is_open: bool

    @staticmethod
    def resolve_is_open(obj):
        return obj.is_open()


class CampaignOut(CampaignSummaryOut):
    organiser: str
    issued_on: date | None
    forward_to: str
    summary: str
    submission: str
    reference_date: date
    quota_per_unit: int
    stamped_pdf_max_bytes: int
    contacts: dict[str, Any]
    criteria: list[CriterionOut] = Field(description=_("适用于所有类别的推荐条件"))
    categories: list[CategoryOut]

    @staticmethod
    def resolve_criteria(obj):
        return [c for c in obj.criteria.all() if c.category_id is None]

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())


# Nominations -----------------------------------------------------------------------------------


class NominationOut(BaseModel):
    """A nomination as the API gives it. A plain pydantic model, not a ninja ``Schema``: a
    ``Schema`` reads every field through ninja's ``DjangoGetter``; here one function
    (``_nomination_fields``) names the fields of a nomination, and pydantic's own validation
    does the rest. The lists do not build it for each row: they write their rows out
    themselves (``nomination_items``), with the same keys and the same JSON values."""

    uid: UUID
    campaign: str
    category: str
    unit: str
    status: str
    status_label: str
    name: str
    values: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @model_validator(mode="before")
    @classmethod
    def _fields_of_nomination(cls, given):
        return _nomination_fields(given)


def _nomination_fields(nomination) -> dict:
    """The fields of ``NominationOut`` from a nomination (its campaign, category and unit
    read, as ``fresh`` and the lookups read them with it)."""
    return {
        "uid": nomination.uid,
        "campaign": nomination.campaign.key,
        "category": nomination.category.key,
        "unit": nomination.unit.code,
        "status": nomination.status,
        "status_label": str(Status(nomination.status).label),
        "name": nomination.name,
        "values": nomination.values,
        "created_at": nomination.created_at,
        "updated_at": nomination.updated_at,
        "submitted_at": nomination.submitted_at,
    }


# What a list reads of each nomination for its items: its own columns and the keys of its
# campaign, category and unit. Read as rows, not as four model instances a row, which were most
# of a list's time (issue 18). The values as their text, decoded by ``_decoded``.
NOMINATION_ROW = (
    "uid",
    "campaign__key",
    "category__key",
    "unit__code",
    "status",
    "name",
    Cast("values", TextField()),
    "created_at",
    "updated_at",
    "submitted_at",
)


def nomination_rows(nominations):
    """``nominations`` (a queryset) as the rows (tuples of ``NOMINATION_ROW``) of a list."""
    return nominations.values_list(*NOMINATION_ROW)


def _decoded(text):
    """A nomination's values from their JSON text (as the database gives it: SQLite's stored
    text, PostgreSQL's jsonb as text), the same as the JSONField makes of it with
    ``json.loads``, about twice as fast: decoding the values was the largest part of a list of
    200 (issue 18). orjson reads a whole number past 64 bits as a float, and refuses what
    ``json.loads`` accepts beyond JSON (NaN, 1e400): a text with 19 digits in a row (such a
    number, or a long digit string, which does no harm) and a refused one are read by
    ``json.loads``. The digits are looked for in the bytes with ``bytes.translate``: a regular
    expression over the text took longer than ``json.loads`` itself."""
    if text is None:
        return None
    encoded = text.encode()
    if _NINETEEN_DIGITS not in encoded.translate(_ZERO_FOR_A_DIGIT):
        try:
            return orjson.loads(encoded)
        except orjson.JSONDecodeError:
            pass
    return json.loads(text)


# Every digit made "0", every other byte a space: 19 digits in a row are then b"0" * 19.
_ZERO_FOR_A_DIGIT = bytes(48 if byte in b"0123456789" else 32 for byte in range(256))
_NINETEEN_DIGITS = b"0" * 19


def nomination_items(rows) -> list[dict]:
    """The rows of ``nomination_rows`` as the JSON values ``NominationOut`` gives: its keys in
    its order, the uid as text, each time as ninja's encoder writes it (Django's
    ``DjangoJSONEncoder``, called here: the encoder then never needs its ``default``), the
    status's label in the active language. One pass, no pydantic model a row (issue 18)."""
    written = _time_text
    labels = {status: str(label) for status, label in Status.choices}
    return [
        {
            "uid": str(uid),
            "campaign": campaign,
            "category": category,
            "unit": unit,
            "status": status,
            "status_label": labels[status],
            "name": name,
            "values": _decoded(values),
            "created_at": written(created_at),
            "updated_at": written(updated_at),
            "submitted_at": None if submitted_at is None else written(submitted_at),
        }
        for (
            uid,
            campaign,
            category,
            unit,
            status,
            name,
            values,
            created_at,
            updated_at,
            submitted_at,
        ) in rows
    ]


_time_text = DjangoJSONEncoder().default


SLUG = r"^[-a-zA-Z0-9_]+$"


def campaign_key_field():
    """The ``campaign`` an operation's body names: one declaration, and one wording, for all."""
    return Field(pattern=SLUG, max_length=64, description=_("活动标识，如 gx-2024"))


def unit_code_field():
    """The ``unit`` an operation's body may name (the caller's only unit when left out)."""
    return Field(
        None,
        pattern=SLUG,
        max_length=64,
        description=_("推荐单位代码；调用者只属于一个推荐单位时可不填"),
    )


class NominationIn(Schema):
    campaign: str = campaign_key_field()
    category: str = Field(pattern=SLUG, max_length=64, description=_("类别标识，如 volunteer"))
    unit: str | None = unit_code_field()
    values: dict[str, Any] = Field(
        default_factory=dict,
        description=_(
            "填报内容：键为字段标识或推荐表上的字段名称，值的格式见活动详情中各字段的 example"
        ),
    )


class ValuesIn(Schema):
    values: dict[str, Any] = Field(
        description=_(
            "填报内容：键为字段标识或推荐表上的字段名称，值的格式见活动详情中各字段的 example"
        )
    )


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000)


class SubmittedOut(Schema):
    nomination: NominationOut
    report: ReportOut


# The caller ------------------------------------------------------------------------------------


class UnitOut(Schema):
    code: str
    name: str


class RoleOut(Schema):
    kind: str = Field(description="organiser | unit_member | reviewer")
    kind_label: str
    campaign: str | None = Field(description=_("组织方、评审专家：活动标识"))
    unit: str | None = Field(description=_("推荐单位经办人：单位代码"))


class MeOut(Schema):
    username: str
    name: str
    units: list[UnitOut] = Field(description=_("调用者作为经办人所属的推荐单位"))
    roles: list[RoleOut]


# Tokens ----------------------------------------------------------------------------------------


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description=_("用途，如“批量导入脚本”"))


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description=_("令牌全文，仅此一次显示，请妥善保存"))


# Photos and the stamped PDF --------------------------------------------------------------------


class PhotoOut(Schema):
    id: int
    order: int = Field(description=_("在推荐表中的顺序，从0开始"))
    original_name: str
    content_type: str
    size: int = Field(description=_("字节数"))
    width: int
    height: int
    sha256: str
    uploaded_at: datetime


class MoveIn(Schema):
    direction: Literal["up", "down"] = Field(description=_("up：前移一位；down：后移一位"))


class SealOut(Schema):
    state: SealState = Field(
        description=_(
            "印章检查结果：found 识别到红色印章，not_found 未识别到，uncertain 无法确认"
            "（如黑白扫描），pending 后台检查中。仅供参考，不影响提交。"
        )
    )
    page: int | None = Field(description=_("识别到标记的页码（从 1 起）"))


class AttachmentOut(Schema):
    kind: str
    original_name: str
    size: int = Field(description=_("字节数"))
    sha256: str
    uploaded_at: datetime
    seal: SealOut | None = Field(None, description=_("盖章扫描件的印章检查"))

    @staticmethod
    def resolve_seal(attachment):
        if attachment.kind != AttachmentKind.STAMPED_PDF:
            return None
        return {"state": attachment.seal_state, "page": attachment.seal_page}


# The organiser's office ------------------------------------------------------------------------


class ChecklistItemOut(Schema):
    id: int = Field(description=_("通过形式审查时在 checked 中列出"))
    rule_id: str
    text: str


class AcceptIn(Schema):
    checked: list[int] = Field(
        default_factory=list, description=_("已逐项核对的人工审核条件编号（须全部列出）")
    )
    reason: str = Field("", max_length=2000)


class ReturnIn(Schema):
    reason: str = Field(max_length=2000, description=_("退回理由，必填，推荐单位可见"))


class FlagOut(Schema):
    id: int
    kind: str
    rule_id: str
    detail: str
    status: str
    reason: str


class FlagDecisionIn(Schema):
    confirmed: bool = Field(description=_("true：确认（曾入选或重复）；false：排除"))
    reason: str = Field(max_length=2000, description=_("核实理由，必填"))


class AssignIn(Schema):
    reviewer: int = Field(description=_("评审专家的用户编号"))


class AutoAssignIn(Schema):
    per_nomination: int | None = Field(
        None, ge=1, le=20, description=_("每个推荐分配的专家人数；默认按活动设置")
    )


class AssignedOut(Schema):
    assignments: int = Field(description=_("本次新分配的评审任务数"))


class AutoAssignedOut(AssignedOut):
    shortfall: str = Field(description=_("专家不足的提示；每个推荐都分配到足够专家时为空"))
    under_covered: list[UUID] = Field(description=_("未分配到足够专家的推荐的 uid"))


class RankedOut(Schema):
    uid: UUID
    name: str
    unit: str
    unit_name: str
    status: str
    status_label: str
    total: Decimal | None = Field(description=_("汇总得分；尚无专家评分时为空"))
    reviewers: int = Field(description=_("已评分的专家人数"))
    spread: Decimal | None = Field(description=_("专家总分的最高分与最低分之差"))


class ChosenIn(Schema):
    nominations: list[UUID] = Field(min_length=1, max_length=500, description=_("推荐的 uid"))


class DoneOut(Schema):
    done: int


class ScoreSheetOut(Schema):
    id: int
    reviewer: str
    conflict: bool
    conflict_reason: str
    scored_at: datetime | None
    comment: str
    scores: dict[str, Decimal]


class ExportIn(Schema):
    kind: Literal["summary", "package"] = Field(description=_("summary：汇总表；package：推报包"))
    statuses: list[Status] = Field(min_length=1, max_length=20, description=_("包含哪些状态的推荐"))
    include_pdf: bool = Field(True, description=_("推报包是否包含PDF版推荐表"))


class ExportOut(Schema):
    id: UUID
    campaign: str
    kind: str
    kind_label: str
    statuses: list[str]
    include_pdf: bool
    state: str = Field(description="queued | running | done | failed")
    state_label: str
    done: int
    total: int
    percent: int
    ready: bool = Field(description=_("为 true 时可下载"))
    error: str
    created_at: datetime
    finished_at: datetime | None


# Extensions, 公示, objections, 推报, results, exemplars (the office, continued) ---------------


class ParticipationOut(Schema):
    unit: str = Field(description=_("推荐单位标识"))
    unit_name: str
    deadline: datetime = Field(description=_("该单位的截止时间（含延期）"))
    extension_until: datetime | None = Field(description=_("批准的延期；为空则按活动截止时间"))


class ExtensionIn(Schema):
    until: datetime | None = Field(
        description=_("延期至（须晚于活动截止时间，带时区）；null 表示取消延期")
    )
    reason: str = Field(max_length=2000, description=_("延期或取消延期的理由，必填，记入审计日志"))


class AnnounceIn(Schema):
    nominations: list[UUID] = Field(
        min_length=1, max_length=500, description=_("拟推荐（已列入拟推荐）的推荐 uid")
    )
    starts_on: date | None = Field(None, description=_("公示开始日期；默认今天"))
    ends_on: date | None = Field(
        None, description=_("公示截止日期；默认按活动规定的工作日数（含法定节假日调休）推算")
    )
    title: str = Field("", max_length=200, description=_("公示标题；默认“活动名称拟推荐名单公示”"))


class AnnouncementOut(Schema):
    id: UUID
    campaign: str
    title: str
    starts_on: date
    ends_on: date
    open: bool = Field(description=_("今天是否在公示期内（可提出异议）"))
    objection_contact: str
    nominations: list[UUID]
    page: str = Field(description=_("公开的公示页面地址"))


class CloseIn(Schema):
    reason: str = Field(max_length=2000, description=_("结束公示的理由，必填，记入审计日志"))


class ObjectionOut(Schema):
    id: int
    announcement: UUID
    nomination: UUID
    nomination_name: str
    name: str = Field(description=_("异议人真实姓名（仅组织方可见）"))
    contact: str = Field(description=_("异议人联系方式（仅组织方可见）"))
    content: str
    filed_at: datetime
    answer: str
    answered_at: datetime | None


class ObjectionFilter(Schema):
    answered: bool | None = Field(None, description=_("true：已答复；false：未答复；不填：全部"))


class AnswerIn(Schema):
    answer: str = Field(max_length=5000, description=_("答复内容，必填"))


class ResultsIn(Schema):
    selected: list[UUID] = Field(default_factory=list, max_length=500, description=_("入选"))
    not_selected: list[UUID] = Field(default_factory=list, max_length=500, description=_("未入选"))


class PublishIn(Schema):
    reason: str = Field(
        "",
        max_length=2000,
        description=_("提前公开的理由：尚无入选结果时必填，记入审计日志；入选后可不填"),
    )
    at: datetime | None = Field(None, description=_("公开时间（带时区）；默认立即"))


class PublicationOut(Schema):
    exemplar: UUID = Field(description=_("公开展示的编号（/exemplars/{exemplar_id}）"))
    nomination: UUID
    published_at: datetime
    before_result: bool = Field(description=_("是否在入选结果之前提前公开"))


# Experts ---------------------------------------------------------------------------------------


class AssignmentOut(Schema):
    id: int
    nomination: UUID
    name: str
    campaign: str
    category: str
    category_name: str
    status: str = Field(description=_("推荐的状态"))
    conflict: bool
    scored_at: datetime | None
    assigned_at: datetime


class RowOut(Schema):
    key: str
    label: str
    text: str


class RubricItemOut(Schema):
    key: str
    label: str
    max_score: int
    weight: Decimal


class AssignmentDetailOut(AssignmentOut):
    rows: list[RowOut] = Field(description=_("推荐表内容，不含联系方式、通讯地址等个人信息"))
    photos: list[PhotoOut]
    rubric: list[RubricItemOut]
    scores: dict[str, Decimal]
    comment: str


class ScoresIn(Schema):
    scores: dict[str, str | int | float] = Field(description=_("按评分项标识填写的分数"))
    comment: str = Field("", max_length=5000)


class ConflictIn(Schema):
    reason: str = Field(max_length=300, description=_("利益冲突的情况，必填"))


# Published exemplars (public) ------------------------------------------------------------------


class LabelTextOut(Schema):
    label: str
    text: str


class PublicPhotoOut(Schema):
    order: int
    size: int = Field(description=_("最长边像素"))
    width: int
    height: int
    url: str


class ExemplarOut(Schema):
    id: UUID
    name: str
    campaign: str
    year: int
    category: str
    category_name: str
    unit: str
    unit_name: str
    published_at: datetime
    summary: str
    photos: list[PublicPhotoOut]


class ExemplarDetailOut(ExemplarOut):
    rows: list[LabelTextOut]
    stories: list[LabelTextOut]


class ExemplarPageOut(Schema):
    items: list[ExemplarOut]
    count: int
