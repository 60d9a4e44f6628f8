"""How many of a campaign's nominations are in each category and status.

One grouped query, read by the stage bar (``stages.progress``) and the dashboard's table
(``dashboard.dashboard``); the dashboard page asks it once for both.
"""

from django.db.models import Count

from tuixuan.nominations.models import Nomination


def status_counts(campaign) -> dict:
    """{(category id, status): how many} for the statuses a category has nominations in."""
    return {
        (category_id, status): n
        for category_id, status, n in Nomination.objects.filter(campaign=campaign)
        .values_list("category_id", "status")
        .annotate(n=Count("pk"))
    }
