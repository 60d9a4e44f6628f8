"""Login throttling that an attacker cannot turn against a real user.

django-axes counts failed logins. Behind the reverse proxy every request came from the proxy's
address, and the lockout was per username and address: five wrong passwords for "zuzhi" from
anywhere locked the real 组织方 out. Now the client's address is read from ``X-Forwarded-For`` only
when the request comes from a configured trusted proxy (``TUIXUAN_TRUSTED_PROXIES``), an address
is locked after ``AXES_FAILURE_LIMIT`` failures, and a username only after the much higher
``TUIXUAN_USERNAME_FAILURE_LIMIT`` failures from everywhere together (a slow, distributed guess).
"""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy, the last address in
    X-Forwarded-For that is not one of our proxies (what a client writes there itself is not
    trusted: proxies append, so only the right-hand end is ours)."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(settings.TUIXUAN_TRUSTED_PROXIES)
    if remote not in trusted:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        if address not in trusted:
            return address
    return remote


class AddressFirstHandler(AxesDatabaseHandler):
    """Lockout by address at AXES_FAILURE_LIMIT; by username only at the higher limit.

    axes compares one count with one limit (``AXES_LOCKOUT_PARAMETERS = ["ip_address",
    "username"]`` gives a count per parameter); the username's count is scaled so that it reaches
    AXES_FAILURE_LIMIT only at TUIXUAN_USERNAME_FAILURE_LIMIT."""

    def get_failures(self, request, credentials=None) -> int:
        by_address, by_username = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        scaled = (
            by_username * settings.AXES_FAILURE_LIMIT // settings.TUIXUAN_USERNAME_FAILURE_LIMIT
        )
        return max(by_address, scaled)
