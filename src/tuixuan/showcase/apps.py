from django.apps import AppConfig


class ShowcaseConfig(AppConfig):
    name = "tuixuan.showcase"
    verbose_name = "公开展示"
