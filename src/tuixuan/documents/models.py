"""An export the organiser asked for: what, for whom, how far along, and the file when done."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExportKind(models.TextChoices):
    SUMMARY = "summary", _("汇总表（Excel）")
    PACKAGE = "package", _("推报包（zip）")


WORKER_LOST = (
    "生成导出的后台进程已停止（超过{seconds}秒没有进展），已由后台进程接手重做，"
    "共{attempts}次仍未完成。"
    "请点击“重新生成”；如再次出现，请联系系统管理员检查后台任务进程（manage.py worker）。"
)
# A running export whose worker died is taken over (queued again for any live worker) this many
# times in all before it is failed: a worker killed once, or a node lost, costs a restart, not a
# click; an export that kills every worker that runs it (out of memory, say) stops trying.
MOST_ATTEMPTS = 3


# An export is queued, then running while its worker beats (``heartbeat_at``), then done or
# failed; a running one whose worker stopped beating is queued again or failed by
# ``take_over_stale`` below.
class ExportState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


def lease() -> timedelta:
    """How long a running export may go without progress before its worker is taken for dead."""
    return timedelta(seconds=settings.TUIXUAN_EXPORT_LEASE_SECONDS)


class ExportQuerySet(models.QuerySet):
    def take_over_stale(self, now=None) -> int:
        """Every running export whose worker stopped beating (killed, out of memory, its machine
        gone) is queued again for whichever worker is alive, as attempt n + 1; after
        ``MOST_ATTEMPTS`` it is failed with a Chinese reason instead, so it never stays "生成中"
        at 5/52 forever. Called by every worker every third of a lease (``manage.py worker``) and
        wherever exports are shown; returns how many it changed.

        Each change is a conditional update on the heartbeat it saw, so two workers (or a worker
        and a page) never both take the same export over; the dead run, should it wake, finds
        its attempt superseded and writes nothing (``tasks.run_export``)."""
        from .tasks import run_export  # noqa: PLC0415 — the task module imports this one

        now = now or timezone.now()
        changed = 0
        stale = self.filter(state=ExportState.RUNNING, heartbeat_at__lt=now - lease())
        for pk, attempt, heartbeat in stale.values_list("pk", "attempt", "heartbeat_at"):
            same = Export.objects.filter(
                pk=pk, state=ExportState.RUNNING, attempt=attempt, heartbeat_at=heartbeat
            )
            if attempt >= MOST_ATTEMPTS:
                error = WORKER_LOST.format(seconds=round(lease().total_seconds()), attempts=attempt)
                changed += same.update(state=ExportState.FAILED, error=error, finished_at=now)
            elif same.update(
                state=ExportState.QUEUED, attempt=attempt + 1, done=0, heartbeat_at=None
            ):
                changed += 1
                transaction.on_commit(lambda pk=pk: run_export.enqueue(str(pk)))
        return changed


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
    # Which run this is: 1, then 2, 3 when a dead worker's run was taken over (take_over_stale).
    attempt = models.PositiveSmallIntegerField(_("第几次生成"), default=1)
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
