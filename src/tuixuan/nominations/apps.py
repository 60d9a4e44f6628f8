from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NominationsConfig(AppConfig):
    name = "tuixuan.nominations"
    verbose_name = _("推荐")

    def ready(self):
        # The services name their audit actions where they record them; importing them here names
        # every action before any trail is read (a command or worker may never import them).
        from . import services  # noqa: F401, PLC0415 — registers the audit labels at start-up
