from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "tuixuan.review"
    verbose_name = _("审核与评审")

    def ready(self):
        # The services name their audit actions where they record them; importing them here names
        # every action before any trail is read (a command or worker may never import them).
        # The summary workbook (below this app) is given the ranking's columns the same way.
        from tuixuan.documents.xlsx import add_columns  # noqa: PLC0415

        from . import demo, services  # noqa: F401, PLC0415 — audit labels; the demo's receiver

        add_columns(services.score_columns)  # the scores and ranks in the summary workbook
