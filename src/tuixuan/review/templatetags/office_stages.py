"""The stage bar for office pages rendered by an app below review (the exports page of
documents): a template may load it, where that app's Python may not import review."""

from django import template

from tuixuan.review.stages import progress

register = template.Library()


@register.inclusion_tag("review/_stages.html")
def stage_bar(campaign):
    return {"progress": progress(campaign)}
