from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "tuixuan.documents"
    verbose_name = _("文书与导出")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 — importing connects them, once apps are ready
