"""The addresses every page's frame (base.html) links to, worked out once per process.

The stylesheet, script and icon, the 工作台, log-out and profile links are the same on every page,
yet ``{% static %}`` and ``{% url %}`` computed them again for each one, a noticeable part of a
small page (issue 18). They depend only on the script prefix the site is served under, which the
answer is kept by. The footer's list of languages, each named in itself, likewise depends only on
settings.LANGUAGES.
"""

from functools import cache

from django.conf import settings
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language_info


@cache
def _addresses(script_prefix, languages):
    return {
        "set_language": reverse("set_language"),
        "languages": [get_language_info(code) for code, _name in languages],
        "stylesheet": static("tuixuan/site.css"),
        "icon": static("tuixuan/favicon.svg"),
        "script": static("tuixuan/site.js"),
        "home": reverse("nominations:home"),
        "log_out": reverse("logout"),
        "profile": reverse("units:profile"),
    }


def context(request):
    """Template context processor: ``frame``, the frame's addresses."""
    return {"frame": _addresses(get_script_prefix(), tuple(settings.LANGUAGES))}
