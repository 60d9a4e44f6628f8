from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "tuixuan.review"
    verbose_name = "审核与评审"
