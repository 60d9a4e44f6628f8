"""A campaign as data: what the notice says, loaded from a campaign file (see ``loader.py``).

Nothing here knows about Guangxi, 2024, three places per unit or 1000 字: those are rows.
"""

from django.db import models
from django.db.models import F, Max, Prefetch
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from tuixuan.common.models import parent_field

MEBIBYTE = 1048576  # the notice's “1M”


class Level(models.TextChoices):
    COUNTY = "county", _("县级")
    CITY = "city", _("市级")
    PROVINCE = "province", _("省级")
    NATIONAL = "national", _("全国")


class ScoreAggregate(models.TextChoices):
    MEAN = "mean", gettext_lazy("平均分")
    TRIMMED_MEAN = "trimmed_mean", gettext_lazy("去掉一个最高分和一个最低分后的平均分")


def still_open(closes, moment) -> bool:
    """The one reading of a deadline: open up to and including its instant, which the campaign
    file gives as the last moment that still counts (“于2月13日前”: 2025-02-13T23:59:59+08:00)."""
    return moment <= closes


PIXELS_PER_BYTE = 8  # a photo's JPEG holds about 1 bit per pixel, with room to spare


class Campaign(models.Model):
    key = models.SlugField(_("标识"), max_length=64, unique=True)
    title = models.CharField(_("活动名称"), max_length=200)
    year = models.PositiveIntegerField(_("年度"))
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    region = models.CharField(_("地区"), max_length=100, blank=True)
    issuer = models.CharField(_("发文单位"), max_length=200)
    organiser = models.CharField(_("组织方"), max_length=200)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    issued_on = models.DateField(_("发文日期"), null=True, blank=True)
    forward_to = models.CharField(_("择优推报至"), max_length=200, blank=True)
    parent = parent_field(_("上级活动"), on_delete=models.SET_NULL)
    # The code of the recommending unit this campaign's organiser is in the parent campaign: the
    # unit its nominations arrive as when forwarded up (``review.services.forward_to_parent``).
    parent_unit = models.CharField(_("在上级活动中的推荐单位代码"), max_length=64, blank=True)
    summary = models.TextField(_("活动简介"), blank=True)
    submission = models.TextField(_("报送要求"), blank=True)
    deadline = models.DateTimeField(_("截止时间"))
    reference_date = models.DateField(_("年限计算基准日"))
    quota_per_unit = models.PositiveIntegerField(_("每个类别推荐名额"))
    past_winner_from = models.PositiveIntegerField(_("往届入选起始年度"), null=True, blank=True)
    past_winner_to = models.PositiveIntegerField(_("往届入选截止年度"), null=True, blank=True)
    stamped_pdf_max_bytes = models.PositiveBigIntegerField(_("盖章PDF大小上限（字节）"))
    contacts = models.JSONField(_("联系方式"), default=dict, blank=True)
    # The official forms' layout as the file's [layout] table set it (campaigns/layout.py).
    layout = models.JSONField(_("推荐表版式"), default=dict, blank=True)
    # Review and selection (评审、择优推报、公示), from the file's [campaign.review] table.
    reviewers_per_nomination = models.PositiveIntegerField(_("每个推荐的评审专家人数"), default=3)
    score_aggregate = models.CharField(
        _("评分汇总方式"), max_length=16, choices=ScoreAggregate.choices, default="mean"
    )
    shortlist_per_category = models.PositiveIntegerField(
        _("每个类别择优推报名额"), null=True, blank=True
    )
    announcement_working_days = models.PositiveIntegerField(_("公示期（工作日）"), default=5)
    # Announced changes of China's working days the library does not know yet, from the file's
    # [campaign.calendar]: {"holidays": [ISO dates], "working_days": [ISO dates]} (workdays.py).
    calendar = models.JSONField(_("节假日调整"), default=dict, blank=True)
    objection_contact = models.CharField(_("公示期间异议受理"), max_length=300, blank=True)
    source = models.TextField(_("活动文件原文"), blank=True)
    source_name = models.CharField(_("活动文件名"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("载入时间"), default=timezone.now)
    # Moved on by every change of the campaign's configuration (its categories, fields, criteria,
    # rubric: ``configuration.changed``), in the database, so every process sees the change with
    # the campaign's row and reads the configuration again (``configuration.configuration_of``).
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-year", "key"]
        verbose_name = verbose_name_plural = _("推选活动")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        """Saved without its ``revision``, which only ``configuration.changed`` moves (in the
        database): a campaign read before a change and saved after it would otherwise write its
        older revision back, and a process holding that revision's configuration would keep it."""
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "revision"
            ]
        super().save(*args, **kwargs)

    def is_open(self, at=None) -> bool:
        """Open for every unit (extensions aside, see ``units.models.closing_time``)."""
        return still_open(self.deadline, at or timezone.now())

    def rule_id_for(self, check_kind) -> str:
        """The ID of the campaign-wide criterion that ``check_kind`` checks ("" if there is none):
        a refusal cites the rule as this campaign's file numbers it, never an ID from the code."""
        return self._campaign_wide_rule_ids.get(check_kind, "")

    @cached_property
    def _campaign_wide_rule_ids(self) -> dict:
        """Every campaign-wide criterion's ID by its check, read once per campaign object: a page
        cites several rules, and a query each was a fifth of the unit's form (issue 18). A
        campaign's criteria change only by loading its file again, which makes new objects.
        A page that read them already (``prefetch_related("criteria")``) asks no query."""
        if "criteria" in getattr(self, "_prefetched_objects_cache", {}):
            wide = [c for c in self.criteria.all() if c.category_id is None]
            rows = [(c.check_kind, c.rule_id) for c in sorted(wide, key=lambda c: (c.order, c.pk))]
        else:
            rows = (
                self.criteria.filter(category__isnull=True)
                .order_by("order", "pk")
                .values_list("check_kind", "rule_id")
            )
        ids = {}
        for check_kind, rule_id in rows:
            ids.setdefault(check_kind, rule_id)
        return ids


class Category(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(_("标识"), max_length=64)
    rule_prefix = models.CharField(_("规则前缀"), max_length=8)
    name = models.CharField(_("类别名称"), max_length=100)
    form_title = models.CharField(_("推荐表标题"), max_length=200)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    name_field = models.CharField(_("名称字段"), max_length=64)
    # With the name, the field that tells two candidates apart (e.g. 出生年月) when spotting the
    # same candidate nominated by two units; blank: the name alone.
    identity_field = models.CharField(_("辨识字段"), max_length=64, blank=True)
    quota_per_unit = models.PositiveIntegerField(
        _("推荐名额（覆盖活动设置）"), null=True, blank=True
    )
    photo_label = models.CharField(_("照片要求原文"), max_length=300)
    photo_min = models.PositiveIntegerField(_("照片最少张数"))
    photo_max = models.PositiveIntegerField(_("照片最多张数"))
    photo_min_bytes = models.PositiveBigIntegerField(_("单张照片最小字节数"))
    photo_max_bytes = models.PositiveBigIntegerField(_("单张照片最大字节数"))

    class Meta:
        ordering = ["campaign", "order"]
        unique_together = [("campaign", "key")]
        verbose_name = verbose_name_plural = _("推荐类别")

    def __str__(self):
        return self.name

    # The photo rules, judged here alone: the rule engine (``checks.photos``), the upload
    # (``nominations.services.add_photo``) and the decoding (``nominations.files.inspect_image``)
    # ask these, each wording its own message.

    @property
    def photo_max_pixels(self) -> int:
        """The most pixels a photo may decode to: what its largest allowed file could hold as a
        photo (about 8 pixels per byte of JPEG), so a small file cannot claim a huge image."""
        return self.photo_max_bytes * PIXELS_PER_BYTE

    def photo_count_fits(self, count) -> bool:
        return self.photo_min <= count <= self.photo_max

    def photo_room_for(self, count) -> bool:
        """Another photo may join ``count`` already there."""
        return count < self.photo_max

    def photo_size_fault(self, size) -> str | None:
        """What is wrong with a photo of ``size`` bytes, as the words after “照片……为”
        (“1,048,575 字节，不足 1M（1,048,576 字节）”), or None when it is within both bounds.

        The notice's own unit (1M) is shown with the exact bytes; the photo's size in bytes too
        when two decimals of MB would round it onto the bound, so the clerk never reads
        “1.00MB，不低于1.00MB”.
        """
        if size == 0:
            return gettext("空文件")
        if size < self.photo_min_bytes:
            words, bound = gettext("%(size)s，不足 %(bound)s"), self.photo_min_bytes
        elif size > self.photo_max_bytes:
            words, bound = gettext("%(size)s，超过 %(bound)s"), self.photo_max_bytes
        else:
            return None
        shown = f"{size / MEBIBYTE:.2f}MB"
        if shown == f"{bound / MEBIBYTE:.2f}MB":
            shown = gettext("%(bytes)s 字节") % {"bytes": f"{size:,}"}
        exact = gettext("%(mb)sM（%(bytes)s 字节）") % {
            "mb": f"{bound / MEBIBYTE:g}",
            "bytes": f"{bound:,}",
        }
        return words % {"size": shown, "bound": exact}

    @property
    def quota(self) -> int:
        if self.quota_per_unit is not None:
            return self.quota_per_unit
        return self.campaign.quota_per_unit

    def has_room(self, held, adding=1) -> bool:
        """A unit holding ``held`` places here may take ``adding`` more: the one comparison with
        the quota, for the rule engine, the unit's page and the package importer."""
        return held + adding <= self.quota


class FieldKind(models.TextChoices):
    TEXT = "text", _("文本")
    LONG_TEXT = "long_text", _("长文本")
    INTEGER = "integer", _("整数")
    DECIMAL = "decimal", _("数值")
    PERCENTAGE = "percentage", _("百分比")
    DATE = "date", _("日期")
    YEAR_MONTH = "year_month", _("年月")
    CHOICE = "choice", _("单选")
    MULTI_CHOICE = "multi_choice", _("多选")
    LIST = "list", _("列表")
    PHONE = "phone", _("电话")
    ADDRESS = "address", _("地址")
    REGISTRATION = "registration", _("“大美志愿”注册")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    EMAIL = "email", _("电子邮箱")


class FieldSpec(models.Model):
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="fields")
    key = models.SlugField(_("标识"), max_length=64)
    label = models.CharField(_("标签（推荐表原文）"), max_length=300)
    kind = models.CharField(_("类型"), max_length=16, choices=FieldKind.choices)
    required = models.BooleanField(_("必填"), default=True)
    public = models.BooleanField(_("公开"), default=False)
    personal = models.BooleanField(_("个人信息"), default=False)
    group = models.CharField(_("分组"), max_length=100, blank=True)
    help_text = models.CharField(_("填写说明"), max_length=300, blank=True)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    # Kind-specific settings: choices and allow_other, address parts, list item fields, max_chars.
    options = models.JSONField(_("选项"), default=dict, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("表单字段")
        ordering = ["category", "order"]
        unique_together = [("category", "key")]

    def __str__(self):
        return self.label


def fields_in_order(lookup="fields") -> Prefetch:
    """A prefetch of categories' fields (``lookup``: their path) in the campaign file's order.

    Each category's fields are sorted by their own ``order`` column: the model's ordering
    (category, then order) gives the same order within a category, but sorts by the category's
    and its campaign's ordering first, which joins both tables and is most of the query's cost
    in Python (issue 18); a prefetch sorts each category's fields apart anyway."""
    return Prefetch(lookup, queryset=FieldSpec.objects.order_by("order"))


class Severity(models.TextChoices):
    ERROR = "error", _("不符合则不能提交")
    WARNING = "warning", _("提醒")


class Criterion(models.Model):
    """One condition of the notice, with its rule ID and, where the form's data allows, a check."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="criteria"
    )
    rule_id = models.CharField(_("规则编号"), max_length=16)
    # A plain name a clerk reads beside the ID (“名额（编号）”); the notice has only the text.
    name = models.CharField(_("简称"), max_length=24, blank=True)
    text = models.TextField(_("通知原文"))
    check_kind = models.CharField(_("检查方式"), max_length=32)
    field = models.CharField(_("字段"), max_length=64, blank=True)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    severity = models.CharField(
        _("严重程度"), max_length=16, choices=Severity.choices, default=Severity.ERROR
    )
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["campaign", "category", "order"]
        verbose_name = verbose_name_plural = _("推荐条件")

    def __str__(self):
        return f"{self.rule_id} {self.text[:30]}"

    @property
    def named_id(self) -> str:
        """“名额（编号）”, or the bare ID when the campaign file gives no name."""
        return f"{self.name}（{self.rule_id}）" if self.name else self.rule_id


class RubricItem(models.Model):
    """One line of a category's scoring rubric: what the experts score, out of how much."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="rubric")
    key = models.SlugField(_("标识"), max_length=64)
    label = models.CharField(_("评分项"), max_length=200)
    max_score = models.PositiveIntegerField(_("满分"))
    weight = models.DecimalField(_("权重"), max_digits=5, decimal_places=2, default=1)
    order = models.PositiveIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["category", "order"]
        unique_together = [("category", "key")]
        verbose_name = verbose_name_plural = _("评分项")

    def __str__(self):
        return gettext("%(label)s（%(most)s分）") % {"label": self.label, "most": self.max_score}


def largest_upload() -> int:
    """The most bytes one request may upload in any campaign: a category's full set of photos
    (the unit's page sends them together) or the stamped PDF, whichever is larger."""
    photos = Category.objects.aggregate(most=Max(F("photo_max_bytes") * F("photo_max")))["most"]
    pdf = Campaign.objects.aggregate(most=Max("stamped_pdf_max_bytes"))["most"]
    return max(photos or 0, pdf or 0)
