from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tuixuan.api"
    verbose_name = "接口"
