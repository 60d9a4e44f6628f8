from django.contrib import admin
from django.utils.translation import gettext_lazy

from tuixuan.common.audit import describe_actions, record

from .models import Participation, RecommendingUnit, Role

describe_actions(
    {
        "participation.extend": gettext_lazy("延长单位报送截止时间"),
        "role.grant": gettext_lazy("授予角色"),
        "role.revoke": gettext_lazy("撤销角色"),
    }
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["campaign", "extension_until"]
    readonly_fields = ["extension_until"]  # granted on the 单位延期 page, with its reason
    extra = 0


@admin.register(RecommendingUnit)
class RecommendingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "region"]
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Extensions are granted on the office's 单位延期 page (units/views.py) or over the API, with
    a reason; a change made here is audited too, without one."""

    list_display = ["unit", "campaign", "extension_until"]
    list_filter = ["campaign"]
    search_fields = ["unit__name"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if "extension_until" in form.changed_data:
            until = obj.extension_until.isoformat() if obj.extension_until else ""
            record(
                "participation.extend",
                actor=request.user,
                campaign=obj.campaign,
                unit=obj.unit.code,
                extension_until=until,
            )


def _role_event(action, request, role):
    record(
        action,
        actor=request.user,
        campaign=role.campaign,
        user=role.user.username,
        kind=role.kind,
        unit=role.unit.code if role.unit_id else "",
    )


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Who may act as whom. Only a superuser grants, changes or takes away a role: an organiser
    who could would make itself a member of any unit (or the organiser of any campaign) and then
    act as it. Organisers may look. Every change is audited with who made it."""

    list_display = ["user", "kind", "campaign", "unit"]
    list_filter = ["kind", "campaign"]
    search_fields = ["user__username", "unit__name"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        if change:
            before = Role.objects.select_related("campaign", "unit", "user").get(pk=obj.pk)
            _role_event("role.revoke", request, before)
        super().save_model(request, obj, form, change)
        _role_event("role.grant", request, obj)

    def delete_model(self, request, obj):
        _role_event("role.revoke", request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for role in queryset.select_related("campaign", "unit", "user"):
            _role_event("role.revoke", request, role)
        super().delete_queryset(request, queryset)
