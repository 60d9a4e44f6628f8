from django.contrib import admin

from .models import Participation, RecommendingUnit, Role


class ParticipationInline(admin.TabularInline):
    model = Participation
    fields = ["campaign", "extension_until"]
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


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "campaign", "unit"]
    list_filter = ["kind", "campaign"]
    search_fields = ["user__username", "unit__name"]
