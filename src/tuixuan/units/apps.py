from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "tuixuan.units"
    verbose_name = "推荐单位与人员"
