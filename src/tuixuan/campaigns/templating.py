"""Pages cite a rule as the campaign file numbers it: ``{{ rule_mark(campaign, "photos") }}``."""

from django.utils.html import format_html


def rule_mark(campaign, check_kind) -> str:
    """“【ID】” for the campaign-wide criterion of ``check_kind``; nothing if there is none."""
    rule_id = campaign.rule_id_for(check_kind)
    return format_html("【{}】", rule_id) if rule_id else ""
