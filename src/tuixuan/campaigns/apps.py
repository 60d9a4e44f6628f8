from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "tuixuan.campaigns"
    verbose_name = _("推选活动")
