"""Publishing an exemplar: the organiser's choice, audited, with public copies of its photos."""

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tuixuan.campaigns import kinds
from tuixuan.common.audit import describe_actions, record
from tuixuan.common.exceptions import Refused
from tuixuan.common.images import smaller_copy
from tuixuan.nominations.models import Status
from tuixuan.nominations.services import lock

from . import cache
from .models import SIZES, Publication, PublicPhoto

describe_actions(
    {
        "showcase.publish": gettext_lazy("公开展示"),
        "showcase.unpublish": gettext_lazy("取消公开展示"),
    }
)


@transaction.atomic
def publish(user, nomination, *, at=None, reason="") -> Publication:
    """Show the nomination on the public pages from ``at`` (now by default).

    The public page presents the person as this year's exemplar, which the notice means only
    once the result is 入选. Before that (chosen, in its 公示, forwarded) it is published only
    on the organiser's explicit word: a ``reason``, kept in the audit trail."""
    if not user.has_perm("nominations.select", nomination):
        raise PermissionDenied(_("您没有权限公开展示该推荐。"))
    nomination = lock(nomination)
    if nomination.status not in Status.PUBLISHABLE:
        raise Refused(
            _("当前状态为“%(status)s”，不能%(doing)s。")
            % {"status": nomination.get_status_display(), "doing": pgettext("step", "公开展示")}
        )
    reason = (reason or "").strip()
    early = nomination.status != Status.SELECTED
    if early and not reason:
        raise Refused(
            _(
                "“%(name)s”当前为“%(status)s”，尚无入选结果，不能作为典型公开展示；"
                "确需提前公开的，请填写“提前公开的理由”。"
            )
            % {"name": nomination.name, "status": nomination.get_status_display()},
            field="reason",
        )
    publication, created = Publication.objects.get_or_create(
        nomination=nomination,
        defaults={"published_at": at or timezone.now(), "published_by": user},
    )
    if not created:
        publication.published_at = at or timezone.now()
        publication.save(update_fields=["published_at"])
    if not publication.photos.exists():
        _make_derivatives(publication)
    record(
        "showcase.publish",
        actor=user,
        nomination=nomination,
        reason=reason if early else "",
        at=publication.published_at.isoformat(),
        before_result=early,
    )
    transaction.on_commit(cache.changed)
    return publication


def _make_derivatives(publication):
    for order, photo in enumerate(publication.nomination.photos.all()):
        for size in SIZES:
            with photo.file.open("rb") as source:
                data, width, height = smaller_copy(source, size)
            copy = PublicPhoto(
                publication=publication, order=order, size=size, width=width, height=height
            )
            copy.file.save(f"{order}-{size}.jpg", ContentFile(data), save=False)
            copy.save()


@transaction.atomic
def unpublish(user, publication):
    nomination = publication.nomination
    if not user.has_perm("nominations.select", nomination):
        raise PermissionDenied(_("您没有权限撤下该展示。"))
    names = [(copy.file.storage, copy.file.name) for copy in publication.photos.all()]
    publication.delete()
    record("showcase.unpublish", actor=user, nomination=nomination)

    def remove():
        for storage, name in names:
            storage.delete(name)
        cache.changed()

    transaction.on_commit(remove)


# What the public pages (and the public API) may read ---------------------------------------


def published():
    return Publication.objects.filter(published_at__lte=timezone.now()).select_related(
        "nomination__category", "nomination__unit", "nomination__campaign"
    )


def public_rows(nomination):
    """(label, text) of the fields the campaign file marks public, long texts apart."""
    return public_rows_of(nomination.category.fields.all(), nomination.values)


def public_rows_of(specs, values):
    """``public_rows`` of a nomination whose category's fields are ``specs``."""
    values = values or {}
    rows, stories = [], []
    for spec in specs:
        kind = kinds.of(spec)
        if not spec.public or spec.personal or kind.personal:
            continue
        text = kind.text(values.get(spec.key))
        if not text:
            continue
        (stories if kind.long else rows).append((spec.label, text))
    return rows, stories
