"""What the public may see: a published exemplar and the resized, EXIF-free copies of its photos."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Publication(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    nomination = models.OneToOneField(
        "nominations.Nomination", on_delete=models.CASCADE, related_name="publication"
    )
    published_at = models.DateTimeField(_("公开时间"), db_index=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-published_at"]
        verbose_name = verbose_name_plural = _("公开展示")

    def __str__(self):
        return self.nomination.name


SIZES = (1280, 400)  # the public copies of each photo: long side in pixels


def _derivative_path(photo, filename):
    return f"showcase/{photo.publication_id}/{filename}"


class PublicPhoto(models.Model):
    """A copy made for the public: resized, re-encoded, no EXIF (so no GPS). Never the original."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="photos")
    order = models.PositiveIntegerField()
    size = models.PositiveIntegerField(_("最长边"))
    file = models.FileField(upload_to=_derivative_path)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        ordering = ["publication", "order", "size"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "order", "size"], name="one_derivative_each"
            )
        ]

    def __str__(self):
        return f"{self.publication} · {self.order + 1} · {self.size}px"
