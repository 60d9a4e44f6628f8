from django.contrib import admin

from tuixuan.common.audit import record

from .models import Participation, RecommendingUnit, Role


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["campaign", "extension_until"]
    readonly_fields = ["extension_until"]  # granted on the 参与单位 page, where it is audited
    extra = 0


@admin.register(RecommendingUnit)
class RecommendingUnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "region", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code", "region"]
    inlines = [ParticipationInline]


@admin.register(Participation)
class ParticipationAdmin(admin.ModelAdmin):
    """Granting a unit an extension of the deadline (G2) is done here until its own page exists."""

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


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "campaign", "unit"]
    list_filter = ["kind", "campaign"]
    search_fields = ["user__username", "unit__name"]
