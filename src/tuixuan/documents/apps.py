from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tuixuan.documents"
    verbose_name = "文书与导出"
