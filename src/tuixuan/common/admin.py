from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .audit import NOBODY, action_label, state_label
from .models import AuditEvent


class SeenOnlyAdmin(admin.ModelAdmin):
    """Rows the admin shows but never adds or changes: they are made by the pages' services,
    where the rules are checked and the audit log written (each subclass says which)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActionFilter(admin.SimpleListFilter):
    """The actions by their labels (“退回修改”), not their keys."""

    title = _("操作")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        actions = AuditEvent.objects.order_by("action").values_list("action", flat=True)
        return [(action, action_label(action)) for action in actions.distinct()]

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(SeenOnlyAdmin):
    """Read-only, and never deleted: the audit log is append-only, here as everywhere."""

    list_display = ["at", "who", "what", "which", "moved", "reason"]
    list_filter = [ActionFilter]
    date_hierarchy = "at"
    list_select_related = ["actor", "nomination"]

    @admin.display(description=_("操作人"), ordering="actor")
    def who(self, event):
        actor = event.actor
        return (actor.first_name or actor.username) if actor else NOBODY

    @admin.display(description=_("操作"), ordering="action")
    def what(self, event):
        return action_label(event.action)

    @admin.display(description=_("推荐"), ordering="nomination")
    def which(self, event):
        return event.nomination or "—"

    @admin.display(description=_("状态变化"))
    def moved(self, event):
        if not (event.from_state and event.to_state):
            return "—"
        return f"{state_label(event.from_state)} → {state_label(event.to_state)}"

    def has_delete_permission(self, request, obj=None):
        return False
