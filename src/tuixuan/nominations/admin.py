"""Raw data for the organiser until the back office has its own pages.

A nomination is read-only here: its values, unit, category and status change only through
``services.py``, where the rules are checked and the audit log written.
"""

from django.contrib import admin

from tuixuan.common.admin import SeenOnlyAdmin
from tuixuan.common.text import normalise_name

from .models import Attachment, Flag, Nomination, PastWinner, Photo


class PhotoInline(admin.TabularInline):
    """Files are replaced only through the portal, where the photo and PDF rules are checked, the
    hash taken and the form copy made; here they can be seen (and put in order)."""

    model = Photo
    fields = ["order", "file", "size", "width", "height", "sha256"]
    readonly_fields = ["file", "size", "width", "height", "sha256"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(admin.TabularInline):
    model = Attachment
    fields = ["kind", "file", "size", "sha256"]
    readonly_fields = ["kind", "file", "size", "sha256"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "unit", "status", "submitted_at", "updated_at"]
    list_filter = ["campaign", "category", "status"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["category", "unit"]
    readonly_fields = [
        "uid",
        "campaign",
        "category",
        "unit",
        "status",
        "name",
        "values",
        "submitted_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [PhotoInline, AttachmentInline]

    def has_add_permission(self, request):
        return False  # units nominate through their portal, where every rule is checked


@admin.register(Photo)
class PhotoAdmin(SeenOnlyAdmin):
    """Uploads are checked and stored by the portal's services; the admin only shows them."""

    list_display = ["nomination", "original_name", "size", "width", "height"]


@admin.register(Attachment)
class AttachmentAdmin(SeenOnlyAdmin):
    list_display = ["nomination", "kind", "original_name", "size"]


@admin.register(PastWinner)
class PastWinnerAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "category_name", "unit_name"]
    list_filter = ["year"]
    search_fields = ["name", "normalised_name"]
    readonly_fields = ["normalised_name"]

    def save_model(self, request, obj, form, change):
        obj.normalised_name = normalise_name(obj.name)
        super().save_model(request, obj, form, change)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ["nomination", "kind", "rule_id", "status", "decided_by", "decided_at"]
    list_filter = ["kind", "status"]
    readonly_fields = ["status", "decided_by", "decided_at", "reason"]
