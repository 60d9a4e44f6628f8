"""The stage bar for office pages rendered by an app below review (the exports page of
documents): ``{{ stage_bar(campaign) }}`` in a template, where that app's Python may not import
review."""

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from tuixuan.review.stages import progress


def stage_bar(campaign) -> str:
    return mark_safe(render_to_string("review/_stages.html", {"progress": progress(campaign)}))
