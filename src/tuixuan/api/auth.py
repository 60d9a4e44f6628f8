"""Who is calling: a personal API token (scripts) or the browser's session.

A request that presents a bearer token is judged by that token alone: an unknown or revoked token
is refused with 401 even if a session cookie came along, so a script never silently acts with
someone's browser login. Either way ``request.auth`` (and ``request.user``) is the Django user, and
every permission is then asked of the same ``rules`` predicates as on the pages.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer, django_auth

from tuixuan.common.prepared import Param, Prepared

from .models import ApiToken, hash_token

# Writing last_used_at on every call would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)

INVALID_TOKEN = _("API令牌无效或已撤销，请重新创建令牌。")


def _columns(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


# The active token of a hash and its user, in one statement compiled once per process
# (common/prepared.py): every API call asks it, and building it with the ORM was a fifth of a
# small API list (issue 18). A revoked token has no row here, so it is refused at once.
_active_token_and_user = Prepared(
    lambda key_hash: (
        ApiToken.objects.active()
        .filter(key_hash=key_hash)
        .values_list(*_columns(ApiToken), *(f"user__{name}" for name in _columns(get_user_model())))
    ),
    Param("\x00key hash"),
)


def active_token(secret: str) -> ApiToken | None:
    """The unrevoked token whose secret this is, with its user, or None."""
    row = _active_token_and_user.first(hash_token(secret))
    if row is None:
        return None
    token_columns, user_columns = _columns(ApiToken), _columns(get_user_model())
    found = ApiToken.from_db("default", token_columns, row[: len(token_columns)])
    found.user = get_user_model().from_db("default", user_columns, row[len(token_columns) :])
    return found


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = active_token(token.strip())
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
