from django.contrib import admin

from tuixuan.common.admin import SeenOnlyAdmin

from .models import Publication


@admin.register(Publication)
class PublicationAdmin(SeenOnlyAdmin):
    """Read-only: publishing makes the photo copies and is audited; it is done from the office."""

    list_display = ["nomination", "published_at", "published_by"]
