"""``{% nomination_steps nomination category as steps %}``: the step indicator's steps
(``nominations/steps.py``), so the nomination page includes it with one line."""

from django import template

from tuixuan.nominations.steps import steps_of

register = template.Library()


@register.simple_tag
def nomination_steps(nomination, category):
    return steps_of(nomination or None, category)
