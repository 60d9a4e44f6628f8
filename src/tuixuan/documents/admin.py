from django.contrib import admin

from tuixuan.common.admin import SeenOnlyAdmin

from .models import Export, RenderedPdf


@admin.register(Export)
class ExportAdmin(SeenOnlyAdmin):
    """Read-only: exports are started from the export page, where they are checked and audited."""

    list_display = ["created_at", "campaign", "kind", "state", "done", "total", "requested_by"]
    list_filter = ["campaign", "kind", "state"]


@admin.register(RenderedPdf)
class RenderedPdfAdmin(SeenOnlyAdmin):
    """Read-only: rendered by the worker, replaced whenever the form changes."""

    list_display = ["nomination", "rendered_at"]
    list_select_related = ["nomination__category"]
