from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "tuixuan.campaigns"
    verbose_name = "推选活动"
