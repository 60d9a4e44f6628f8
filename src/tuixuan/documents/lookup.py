"""An export by its id, and its file, for the pages and the API alike: 404 unless the person may
export.

Permission is asked first, then a run whose worker is gone is queued again or failed
(``take_over_stale``), so the page and the API show the same state and a stranger's request
changes nothing.
"""

from django.http import Http404
from django.utils.translation import gettext_lazy

from tuixuan.common.lookup import get_permitted_or_404
from tuixuan.common.storage import stored_file_response

from .models import Export

NOT_FOUND = gettext_lazy("没有找到该导出。")
FILE_MISSING = gettext_lazy("导出的文件已不在文件存储中，请重新导出。")


def export_or_404(user, export_id) -> Export:
    export = get_permitted_or_404(
        Export.objects.select_related("campaign"),
        user,
        "documents.export",
        message=NOT_FOUND,
        on=lambda found: found.campaign,
        pk=export_id,
    )
    if Export.objects.filter(pk=export.pk).take_over_stale():
        export.refresh_from_db()
    return export


def export_file_response(export):
    """The finished export's file, streamed from the disk or the bucket as it is sent (a package
    may be gigabytes); only for an export ``export_or_404`` gave this person."""
    try:
        return stored_file_response(
            export.file, as_attachment=True, filename=export.file.name.rsplit("/")[-1]
        )
    except FileNotFoundError:
        raise Http404(str(FILE_MISSING)) from None
