"""What the API sends and accepts. Plain data; the services and the rule engine do the work."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from tuixuan.campaigns.checks import STATUS_LABELS


class ErrorOut(Schema):
    rule_id: str = Field("", description="规则编号，如 G1、O2；无对应规则时为空")
    field: str = Field("", description="出错的字段标识")
    message: str = Field(description="中文说明")
    errors: dict[str, str] = Field(default_factory=dict, description="按字段列出的错误")


class RuleResultOut(Schema):
    rule_id: str
    status: str = Field(description="pass | fail | warning | manual")
    status_label: str
    message: str
    field: str
    criterion: str = Field(description="通知原文")


class ReportOut(Schema):
    passed: bool
    failures: int
    warnings: int
    results: list[RuleResultOut]


class RulesNotMetOut(ErrorOut):
    report: ReportOut


def report_out(report) -> dict:
    return {
        "passed": report.passed,
        "failures": len(report.failures),
        "warnings": len(report.warnings),
        "results": [
            {
                "rule_id": r.rule_id,
                "status": r.status,
                "status_label": STATUS_LABELS[r.status],
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
    criteria: list[CriterionOut] = Field(description="适用于所有类别的推荐条件")
    categories: list[CategoryOut]

    @staticmethod
    def resolve_criteria(obj):
        return [c for c in obj.criteria.all() if c.category_id is None]

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories.all())


# Nominations -----------------------------------------------------------------------------------


class NominationOut(Schema):
    uid: UUID
    campaign: str = Field(alias="campaign.key")
    category: str = Field(alias="category.key")
    unit: str = Field(alias="unit.code")
    status: str
    status_label: str
    name: str
    values: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class NominationIn(Schema):
    campaign: str = Field(description="活动标识，如 gx-2024")
    category: str = Field(description="类别标识，如 volunteer")
    unit: str = Field(description="推荐单位代码")
    values: dict[str, Any] = Field(default_factory=dict, description="按字段标识填写的内容")


class ValuesIn(Schema):
    values: dict[str, Any]


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000)


class SubmittedOut(Schema):
    nomination: NominationOut
    report: ReportOut


# Tokens ----------------------------------------------------------------------------------------


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=100, description="用途，如“批量导入脚本”")


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewTokenOut(TokenOut):
    token: str = Field(description="令牌全文，仅此一次显示，请妥善保存")
