from django.contrib import admin

from .models import Export, RenderedPdf


@admin.register(Export)
class ExportAdmin(admin.ModelAdmin):
    """Read-only: exports are started from the export page, where they are checked and audited."""

    list_display = ["created_at", "campaign", "kind", "state", "done", "total", "requested_by"]
    list_filter = ["campaign", "kind", "state"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RenderedPdf)
class RenderedPdfAdmin(admin.ModelAdmin):
    """Read-only: rendered by the worker, replaced whenever the form changes."""

    list_display = ["nomination", "rendered_at"]
    list_select_related = ["nomination__category"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
