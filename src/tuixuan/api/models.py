"""Personal API tokens: created and revoked by their user, stored only as a SHA-256 hash.

A token acts as its user and nothing more: every request made with it is checked by the same
``rules`` predicates as the user's pages, so it reaches exactly the user's units and roles.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PREFIX = "tx_"
PREFIX_LENGTH = 8  # characters after "tx_" shown in lists so the user can tell tokens apart


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("令牌前缀"), max_length=16, db_index=True)
    key_hash = models.CharField(_("令牌SHA-256"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = _("接口令牌")  # Chinese has no plural

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @classmethod
    def issue(cls, user, name) -> tuple["ApiToken", str]:
        """A new token and its secret; the secret is returned once and never stored."""
        secret = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(PREFIX) + PREFIX_LENGTH],
            key_hash=hash_token(secret),
        )
        return token, secret
