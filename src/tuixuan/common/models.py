"""The audit log: every state change of every nomination and every organiser action.

Append-only by construction: the model refuses to be saved twice or deleted, and its queryset
refuses bulk updates and deletes, so a history once written cannot be rewritten through the ORM.
The one exception is ``AuditEvent.extend_burst``, used only by ``audit.record_burst``: the newest
event of an editing burst takes the burst's later saves (their time and changed fields).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .exceptions import AppendOnlyError


def parent_field(verbose_name, *, on_delete) -> models.ForeignKey:
    """The row above this one in a hierarchy of its own kind (a campaign's higher campaign, a
    unit's parent unit): optional, and the row above lists its ``children``."""
    return models.ForeignKey(
        "self",
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=on_delete,
        related_name="children",
    )


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError(_("审计记录只能追加，不能修改。"))

    def delete(self):
        raise AppendOnlyError(_("审计记录只能追加，不能删除。"))


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=64)
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    nomination = models.ForeignKey(
        "nominations.Nomination",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_events",
    )
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(_("审计记录只能追加，不能修改。"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(_("审计记录只能追加，不能删除。"))

    def extend_burst(self, *, at, fields):
        """The burst this event records goes on (``audit.record_burst`` decides when): its time
        becomes the latest save's and its ``fields`` all those the burst changed."""
        self.at, self.data = at, {**self.data, "fields": fields}
        models.QuerySet.update(AuditEvent.objects.filter(pk=self.pk), at=at, data=self.data)
