from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "tuixuan.common"
    verbose_name = _("通用")
