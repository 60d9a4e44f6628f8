"""An export by its id, for the pages and the API alike: 404 unless the person may export.

Permission is asked first, then a run whose worker is gone is marked failed (``expire_stale``), so
the page and the API show the same state and a stranger's request changes nothing.
"""

from django.utils.translation import gettext_lazy

from tuixuan.common.lookup import get_permitted_or_404

from .models import Export

NOT_FOUND = gettext_lazy("没有找到该导出。")


def export_or_404(user, export_id) -> Export:
    export = get_permitted_or_404(
        Export.objects.select_related("campaign"),
        user,
        "documents.export",
        message=NOT_FOUND,
        on=lambda found: found.campaign,
        pk=export_id,
    )
    if Export.objects.filter(pk=export.pk).expire_stale():
        export.refresh_from_db()
    return export
