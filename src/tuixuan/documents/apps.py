from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tuixuan.documents"
    verbose_name = "文书与导出"

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 — importing connects them, once apps are ready
