"""Who is calling: a personal API token (scripts) or the browser's session.

A request that presents a bearer token is judged by that token alone: an unknown or revoked token
is refused with 401 even if a session cookie came along, so a script never silently acts with
someone's browser login. Either way ``request.auth`` (and ``request.user``) is the Django user, and
every permission is then asked of the same ``rules`` predicates as on the pages.
"""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from .models import ApiToken, hash_token

# Writing last_used_at on every call would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)

INVALID_TOKEN = _("API令牌无效或已撤销，请重新创建令牌。")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.active()
            .select_related("user")
            .filter(key_hash=hash_token(token.strip()))
            .first()
        )
        if found is None or not found.user.is_active:
            raise AuthenticationError(401, INVALID_TOKEN)
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user = found.user
        request.api_token = found
        return found.user


token_auth = TokenAuth()
session_auth = django_auth  # the browser: Django's session, with its CSRF check on writes

TOKEN_OR_SESSION = [token_auth, session_auth]
