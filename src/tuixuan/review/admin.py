"""Raw data of review and publicity; every change goes through the office pages (audited)."""

from django.contrib import admin

from .models import Announcement, Assignment, Objection, Score


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ["nomination", "reviewer", "conflict", "scored_at"]
    list_filter = ["conflict", "nomination__campaign"]


@admin.register(Score)
class ScoreAdmin(ReadOnly):
    list_display = ["assignment", "item", "value"]


@admin.register(Announcement)
class AnnouncementAdmin(ReadOnly):
    list_display = ["title", "campaign", "starts_on", "ends_on"]


@admin.register(Objection)
class ObjectionAdmin(ReadOnly):
    list_display = ["nomination", "filed_at", "answered_at"]
