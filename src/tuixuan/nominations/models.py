"""Nominations and what hangs off them. State changes only through ``services.py``."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("status", "草稿")
    SUBMITTED = "submitted", pgettext_lazy("status", "已提交")
    RETURNED = "returned", pgettext_lazy("status", "退回修改")
    ACCEPTED = "accepted", pgettext_lazy("status", "形式审查通过")
    REVIEWED = "reviewed", pgettext_lazy("status", "已评审")
    SHORTLISTED = "shortlisted", pgettext_lazy("status", "拟推荐")
    ANNOUNCED = "announced", pgettext_lazy("status", "公示中")
    FORWARDED = "forwarded", pgettext_lazy("status", "已推报")
    SELECTED = "selected", pgettext_lazy("status", "入选")
    NOT_SELECTED = "not_selected", pgettext_lazy("status", "未入选")
    WITHDRAWN = "withdrawn", pgettext_lazy("status", "已撤回")


# The groups of states, on the enum: every "in which states may …" asks one of these, and the
# transitions (transitions.py) are written with them.
# The unit may change the values, photos and stamped PDF, and hand it in.
Status.EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# The unit may withdraw it (before the deadline), freeing its place.
Status.WITHDRAWABLE = frozenset({Status.DRAFT, Status.SUBMITTED})
# Handed in and not withdrawn: it holds one of its unit's places in the category.
Status.HOLDING_A_PLACE = frozenset(Status) - {Status.DRAFT, Status.WITHDRAWN}
# The experts may be assigned and score it.
Status.REVIEWABLE = frozenset({Status.ACCEPTED})
# Chosen (shortlisted or further): the organiser may show it on the public pages, and it counts
# against the forwarding cap (``services.refuse_beyond_forwarding_cap``).
Status.PUBLISHABLE = frozenset(
    {Status.SHORTLISTED, Status.ANNOUNCED, Status.FORWARDED, Status.SELECTED}
)


class Nomination(models.Model):
    # The public identifier in every URL: random, so one unit cannot guess another's nominations.
    uid = models.UUIDField(_("编号"), default=uuid.uuid4, unique=True, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.PROTECT, related_name="nominations"
    )
    category = models.ForeignKey(
        "campaigns.Category", on_delete=models.PROTECT, related_name="nominations"
    )
    unit = models.ForeignKey(
        "units.RecommendingUnit", on_delete=models.PROTECT, related_name="nominations"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # The candidate's name or the organisation's, project's or service point's, from the
    # category's name field: kept beside the values for lists, search and matching.
    name = models.CharField(_("名称"), max_length=300, blank=True)
    normalised_name = models.CharField(_("规范化名称"), max_length=300, blank=True, db_index=True)
    values = models.JSONField(_("填报内容"), default=dict, blank=True)
    # The web form's fields that did not clean, kept exactly as typed (key → the raw posted
    # value), so a draft saves whatever state it is in: the form draws them again, the rule
    # report (``reports.evaluate``) cleans them again and fails them, so only 提交 is blocked.
    # A field is either here or in ``values``, never both.
    typed_invalid = models.JSONField(_("待修改的填写内容"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    # Forwarded up within this installation: the nomination at the level below that this one
    # arrived from; the level below reads the parent's status through ``forwarded_as``.
    forwarded_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="forwarded_as",
        verbose_name=_("来自下级推荐"),
    )
    # What the level below made of it (its campaign, status and the experts' scores), kept as
    # it was when it arrived: read-only history, never counted in this campaign's scoring.
    history = models.JSONField(_("下级评审记录"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["unit", "category", "status"]),
            # A unit's nominations in one campaign, newest first (its page, its API list): without
            # it SQLite reached them through the campaign's index, reading every nomination of
            # the campaign to count one unit's few (issue 18).
            models.Index(fields=["unit", "campaign", "created_at"]),
            # The organiser's queue: one campaign's submitted nominations in order of arrival.
            models.Index(fields=["campaign", "status", "submitted_at", "id"]),
            # The office's counts (by category, unit and status; per day) and the API's office
            # list read a campaign's nominations from this index alone, not from their rows,
            # which carry the whole form (issue 18).
            models.Index(fields=["campaign", "status", "category", "unit", "submitted_at", "id"]),
        ]
        verbose_name = verbose_name_plural = _("推荐")

    def __str__(self):
        return f"{self.category.name} · {self.name or gettext('（未填写名称）')}"


def _photo_path(photo, filename):
    return f"photos/{photo.nomination.uid}/{uuid.uuid4().hex}{_suffix(filename)}"


def _form_copy_path(photo, filename):
    return f"photos/{photo.nomination.uid}/{uuid.uuid4().hex}-form.jpg"


def _attachment_path(attachment, filename):
    return f"attachments/{attachment.nomination.uid}/{uuid.uuid4().hex}{_suffix(filename)}"


def _suffix(filename):
    """Keep a safe extension only; the stored name is random, never the uploader's."""
    dot = filename.rfind(".")
    suffix = filename[dot:].lower() if dot != -1 else ""
    return suffix if suffix in {".jpg", ".jpeg", ".png", ".pdf"} else ""


class Photo(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to=_photo_path)
    # What the Word forms embed: a smaller upright copy (``files.form_copy``), made on upload.
    form_copy = models.FileField(_("推荐表用副本"), upload_to=_form_copy_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    content_type = models.CharField(_("类型"), max_length=32)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    sha256 = models.CharField("SHA-256", max_length=64)
    order = models.PositiveIntegerField(_("顺序"), default=0)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        ordering = ["nomination", "order", "pk"]
        verbose_name = verbose_name_plural = _("照片")

    def __str__(self):
        return self.original_name or self.file.name


class AttachmentKind(models.TextChoices):
    STAMPED_PDF = "stamped_pdf", _("盖章扫描PDF")


class SealState(models.TextChoices):
    """What the seal search (``documents/seal.py``, run by the worker after an upload) found on a
    stamped scan. An aid to the eye in formal review, never a refusal."""

    PENDING = "pending", pgettext_lazy("seal", "正在检查印章")
    FOUND = "found", pgettext_lazy("seal", "已识别到红色印章")
    NOT_FOUND = "not_found", pgettext_lazy("seal", "未识别到印章")
    UNCERTAIN = "uncertain", pgettext_lazy("seal", "无法确认是否盖章")


def _seal_crop_path(attachment, filename):
    return f"attachments/{attachment.nomination.uid}/seal-{uuid.uuid4().hex}.png"


class Attachment(models.Model):
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=_attachment_path)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    seal_state = models.CharField(
        _("印章检查"), max_length=16, choices=SealState.choices, default=SealState.PENDING
    )
    seal_page = models.PositiveSmallIntegerField(_("印章所在页"), null=True, blank=True)
    # The part of the page where the mark was found, for a person to judge.
    seal_crop = models.FileField(_("印章截图"), upload_to=_seal_crop_path, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nomination", "kind"], name="one_attachment_per_kind")
        ]
        verbose_name = verbose_name_plural = _("附件")

    def __str__(self):
        return self.original_name or self.file.name


class PastWinner(models.Model):
    """Someone selected as an exemplar in an earlier year, from the organiser's import."""

    name = models.CharField(_("名称"), max_length=300)
    normalised_name = models.CharField(_("规范化名称"), max_length=300, db_index=True)
    year = models.PositiveIntegerField(_("入选年度"))
    category_name = models.CharField(_("类别"), max_length=100, blank=True)
    unit_name = models.CharField(_("推荐单位或地区"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["normalised_name", "year", "category_name"], name="unique_past_winner"
            )
        ]
        verbose_name = verbose_name_plural = _("往届入选典型")

    def __str__(self):
        return f"{self.year} {self.name}"


class FlagKind(models.TextChoices):
    PAST_WINNER = "past_winner", _("往届入选")
    DUPLICATE = "duplicate", _("重复推荐")


class FlagStatus(models.TextChoices):
    """What the organiser, having looked, made of a flag: it stays open until decided."""

    OPEN = "open", _("待核实")
    CONFIRMED = "confirmed", _("已确认")
    CLEARED = "cleared", _("已排除")


class Flag(models.Model):
    """Something the organiser must confirm or clear by hand, such as a past-winner match."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("类型"), max_length=16, choices=FlagKind.choices)
    rule_id = models.CharField(_("规则编号"), max_length=16)
    detail = models.TextField(_("说明"))
    past_winner = models.ForeignKey(
        PastWinner, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duplicate_of = models.ForeignKey(
        Nomination, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("处理状态"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reason = models.TextField(_("处理理由"), blank=True)
    created_at = models.DateTimeField(_("标记时间"), auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["nomination", "past_winner"],
                condition=models.Q(past_winner__isnull=False),
                name="one_flag_per_past_winner",
            ),
            models.UniqueConstraint(
                fields=["nomination", "duplicate_of"],
                condition=models.Q(duplicate_of__isnull=False),
                name="one_flag_per_duplicate",
            ),
        ]
        verbose_name = verbose_name_plural = _("待核实标记")

    def __str__(self):
        return f"{self.get_kind_display()}：{self.detail}"
