from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "tuixuan.units"
    verbose_name = _("推荐单位与人员")
