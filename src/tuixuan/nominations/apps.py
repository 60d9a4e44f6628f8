from django.apps import AppConfig


class NominationsConfig(AppConfig):
    name = "tuixuan.nominations"
    verbose_name = "推荐"
