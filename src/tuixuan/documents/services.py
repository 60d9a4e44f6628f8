"""Starting an export: checked, audited, handed to the worker."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuixuan.common.audit import describe_actions, record
from tuixuan.common.exceptions import Refused
from tuixuan.nominations.models import Status

from .models import Export, ExportKind, ExportState
from .tasks import run_export

describe_actions(
    {
        "export.start": gettext_lazy("开始导出材料"),
        "export.retry": gettext_lazy("重新导出材料"),
    }
)


@transaction.atomic
def start_export(user, campaign, *, kind, statuses, include_pdf=True) -> Export:
    if not user.has_perm("documents.export", campaign):
        raise PermissionDenied(_("您没有权限导出该活动的材料。"))
    if kind not in ExportKind.values:
        raise Refused(_("请选择导出类型。"), field="kind")
    statuses = [status for status in statuses if status in Status.values]
    if not statuses:
        raise Refused(_("请至少选择一种推荐状态。"), field="statuses")
    export = Export.objects.create(
        campaign=campaign,
        requested_by=user,
        kind=kind,
        statuses=statuses,
        include_pdf=include_pdf,
    )
    run_export.enqueue(str(export.pk))
    record("export.start", actor=user, campaign=campaign, export=str(export.pk), kind=kind)
    return export


def retry_export(user, export) -> Export:
    """Start a failed export again with the same choices (a new export, audited as a retry)."""
    if export.state != ExportState.FAILED:
        raise Refused(
            _("该导出%(state)s，只有失败的导出可以重新生成。")
            % {"state": export.get_state_display()}
        )
    again = start_export(
        user,
        export.campaign,
        kind=export.kind,
        statuses=export.statuses,
        include_pdf=export.include_pdf,
    )
    record(
        "export.retry",
        actor=user,
        campaign=export.campaign,
        export=str(again.pk),
        of=str(export.pk),
    )
    return again
