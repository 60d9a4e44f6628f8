"""The addresses every page's frame (base.html) links to, worked out once per process.

The stylesheet, script and icon, the 工作台, log-out and profile links are the same on every page,
yet ``{% static %}`` and ``{% url %}`` computed them again for each one, a noticeable part of a
small page (issue 18). They depend only on the script prefix the site is served under, which the
answer is kept by.
"""

from functools import cache

from django.templatetags.static import static
from django.urls import get_script_prefix, reverse


@cache
def _addresses(script_prefix):
    return {
        "stylesheet": static("tuixuan/site.css"),
        "icon": static("tuixuan/favicon.svg"),
        "script": static("tuixuan/site.js"),
        "home": reverse("nominations:home"),
        "log_out": reverse("logout"),
        "profile": reverse("units:profile"),
    }


def context(request):
    """Template context processor: ``frame``, the frame's addresses."""
    return {"frame": _addresses(get_script_prefix())}
