"""Experts' work: who reviews which nomination, their conflicts, and their scores."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(_("分配时间"), auto_now_add=True)
    conflict = models.BooleanField(_("声明利益冲突"), default=False)
    conflict_reason = models.CharField(_("利益冲突说明"), max_length=300, blank=True)
    comment = models.TextField(_("评审意见"), blank=True)
    scored_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "reviewer"], name="one_assignment_each")
        ]
        verbose_name = verbose_name_plural = _("评审分配")

    def __str__(self):
        return f"{self.reviewer} → {self.nomination}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(
        "campaigns.RubricItem", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)

    class Meta:
        verbose_name = verbose_name_plural = _("评分")
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item"], name="one_score_per_item")
        ]

    def __str__(self):
        return f"{self.item.label}：{self.value}"


class Announcement(models.Model):
    """A 公示: the shortlist made public for a period, during which anyone may object."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="announcements"
    )
    title = models.CharField(_("标题"), max_length=200)
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    objection_contact = models.CharField(_("异议受理"), max_length=300, blank=True)
    nominations = models.ManyToManyField("nominations.Nomination", related_name="announcements")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = pgettext_lazy("model", "公示")

    def __str__(self):
        return self.title


class Objection(models.Model):
    """An objection filed during a 公示, under a real name; seen by the organiser only."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="objections"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="objections"
    )
    name = models.CharField(_("真实姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    content = models.TextField(_("异议内容"))
    filed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        verbose_name = verbose_name_plural = _("公示异议")

    def __str__(self):
        return gettext("对“%(name)s”的异议") % {"name": self.nomination.name}
