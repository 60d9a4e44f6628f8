from django.contrib import admin

from .models import AuditEvent


class SeenOnlyAdmin(admin.ModelAdmin):
    """Rows the admin shows but never adds or changes: they are made by the pages' services,
    where the rules are checked and the audit log written (each subclass says which)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(SeenOnlyAdmin):
    """Read-only, and never deleted: the audit log is append-only, here as everywhere."""

    list_display = ["at", "action", "actor", "nomination", "from_state", "to_state"]
    list_filter = ["action"]
    date_hierarchy = "at"

    def has_delete_permission(self, request, obj=None):
        return False
