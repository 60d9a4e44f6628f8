"""An export the organiser asked for: what, for whom, how far along, and the file when done."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    SUMMARY = "summary", _("汇总表（Excel）")
    PACKAGE = "package", _("推报包（zip）")


WORKER_LOST = (
    "生成导出的后台进程已停止（超过{minutes}分钟没有进展），导出未完成。"
    "请点击“重新生成”；如再次出现，请联系系统管理员检查后台任务进程（manage.py worker）。"
)


# An export is queued, then running while its worker beats (``heartbeat_at``), then done or
# failed; a running one whose worker stopped beating is failed by ``expire_stale`` below.
class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def lease() -> timedelta:
    """How long a running export may go without progress before its worker is taken for dead."""
    return timedelta(seconds=settings.TUIXUAN_EXPORT_LEASE_SECONDS)


class ExportQuerySet(models.QuerySet):
    def expire_stale(self, now=None) -> int:
        """Mark failed, with a Chinese reason, every running export whose worker stopped
        beating (killed, out of memory, its machine gone): otherwise it would stay "生成中" at
        5/52 forever. Called wherever exports are shown; returns how many were given up."""
        now = now or timezone.now()
        minutes = max(1, round(lease().total_seconds() / 60))
        return self.filter(state=ExportState.RUNNING, heartbeat_at__lt=now - lease()).update(
            state=ExportState.FAILED, error=WORKER_LOST.format(minutes=minutes), finished_at=now
        )


def _export_path(export, filename):
    return f"exports/{export.pk}/{filename}"


class Export(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.CASCADE, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=ExportKind.choices)
    statuses = models.JSONField(_("包含的推荐状态"), default=list)
    include_pdf = models.BooleanField(_("包含PDF版推荐表"), default=True)
    state = models.CharField(
        _("进度"), max_length=16, choices=ExportState.choices, default=ExportState.QUEUED
    )
    done = models.PositiveIntegerField(_("已完成"), default=0)
    total = models.PositiveIntegerField(_("总数"), default=0)
    file = models.FileField(_("文件"), upload_to=_export_path, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("最近进展"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = verbose_name_plural = _("导出")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def percent(self) -> int:
        if self.state == ExportState.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0


def _rendered_path(rendered, filename):
    return f"forms/{rendered.nomination.uid}/{uuid.uuid4().hex}.pdf"


class RenderedPdf(models.Model):
    """A nomination's PDF form as last rendered, kept while the form still says the same.

    WeasyPrint takes a fifth of a second a form; a nomination is rendered when it is handed in
    (in the worker), and downloads and packages reuse the file. ``fingerprint`` is the SHA-256 of
    the HTML it was rendered from, so any change to the values, the photos, the labels or the
    layout renders it anew.
    """

    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="rendered_pdf"
    )
    fingerprint = models.CharField(max_length=64)
    file = models.FileField(upload_to=_rendered_path)
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("已生成的PDF推荐表")

    def __str__(self):
        return f"{self.nomination} · {self.rendered_at:%Y-%m-%d %H:%M}"
