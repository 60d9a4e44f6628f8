from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "tuixuan.review"
    verbose_name = _("审核与评审")

    def ready(self):
        # The services name their audit actions where they record them; importing them here names
        # every action before any trail is read (a command or worker may never import them).
        from . import demo, services  # noqa: F401, PLC0415 — audit labels; the demo's receiver
