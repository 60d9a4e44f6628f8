"""Experts' work: who reviews which nomination, their conflicts, and their scores."""

from django.conf import settings
from django.db import models


class Assignment(models.Model):
    nomination = models.ForeignKey(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="assignments"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField("分配时间", auto_now_add=True)
    conflict = models.BooleanField("声明利益冲突", default=False)
    conflict_reason = models.CharField("利益冲突说明", max_length=300, blank=True)
    comment = models.TextField("评审意见", blank=True)
    scored_at = models.DateTimeField("评分时间", null=True, blank=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "reviewer"], name="one_assignment_each")
        ]
        verbose_name = "评审分配"
        verbose_name_plural = "评审分配"

    def __str__(self):
        return f"{self.reviewer} → {self.nomination}"


class Score(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(
        "campaigns.RubricItem", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField("得分", max_digits=6, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "item"], name="one_score_per_item")
        ]
        verbose_name = "评分"
        verbose_name_plural = "评分"

    def __str__(self):
        return f"{self.item.label}：{self.value}"
