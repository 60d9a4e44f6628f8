"""Raw data of review and publicity; every change goes through the office pages (audited)."""

from django.contrib import admin

from tuixuan.common.admin import SeenOnlyAdmin

from .models import Announcement, Assignment, Objection, Score


@admin.register(Assignment)
class AssignmentAdmin(SeenOnlyAdmin):
    list_display = ["nomination", "reviewer", "conflict", "scored_at"]
    list_filter = ["conflict", "nomination__campaign"]


@admin.register(Score)
class ScoreAdmin(SeenOnlyAdmin):
    list_display = ["assignment", "item", "value"]


@admin.register(Announcement)
class AnnouncementAdmin(SeenOnlyAdmin):
    list_display = ["title", "campaign", "starts_on", "ends_on"]


@admin.register(Objection)
class ObjectionAdmin(SeenOnlyAdmin):
    list_display = ["nomination", "filed_at", "answered_at"]
