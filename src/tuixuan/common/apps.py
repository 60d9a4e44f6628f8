from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "tuixuan.common"
    verbose_name = "通用"
