"""Who is logged in, read with two prepared statements instead of two ORM queries (issue 18).

Sessions stay Django's database sessions (settings.SESSION_ENGINE names this module): a row per
session in ``django_session``, shared by every process and machine, deleted at log-out, and
useless once the password changes (Django's session hash, checked by
``django.contrib.auth.get_user`` as before). Only the two reads every logged-in request makes
are cheaper: the session's row and the user's row, each by one ``Prepared`` query. Writing,
creating, deleting and expiring sessions are Django's own code.
"""

from datetime import UTC, datetime

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from .prepared import Param, Prepared, a_time

DJANGO_MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
MODEL_BACKEND = "tuixuan.common.sessions.ModelBackend"

_session_data = Prepared(
    lambda key, now: (
        db.SessionStore.get_model_class()
        .objects.filter(session_key=key, expire_date__gt=now)
        .values_list("session_data")
    ),
    Param("\x00session key"),
    a_time(datetime(1900, 1, 2, 3, 4, 5, tzinfo=UTC)),
)


class SessionStore(db.SessionStore):
    def load(self):
        """The session's data, if its row exists and has not expired (as Django's ``load``)."""
        found = _session_data.first(
            self.session_key, timezone.now(), using=router.db_for_read(self.model)
        )
        if found is None:
            self._session_key = None
            return {}
        data = self.decode(found[0])
        if data.get(BACKEND_SESSION_KEY) == DJANGO_MODEL_BACKEND:
            # Logged in before this backend replaced Django's (its subclass): the same login.
            data[BACKEND_SESSION_KEY] = MODEL_BACKEND
        return data


_user_by_pk = Prepared(
    lambda pk: get_user_model()._default_manager.filter(pk=pk),
    Param(-7_000_001),
)


class ModelBackend(DjangoModelBackend):
    """Django's ModelBackend; the user of a session is read by a prepared statement."""

    def get_user(self, user_id):
        user = _user_by_pk.first(user_id, using=router.db_for_read(get_user_model()))
        return user if user is not None and self.user_can_authenticate(user) else None
