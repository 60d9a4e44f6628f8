from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "tuixuan.campaigns"
    verbose_name = _("推选活动")

    def ready(self):
        from . import receivers  # noqa: F401, PLC0415 — importing connects them, once apps are ready
