"""A nomination's photos and stamped scan as its page reads them: once, by two statements
prepared once per process (common/prepared.py), handed to its managers as ``prefetch_related``
hands what it reads, so ``photos.all()`` and ``attachments.all()`` answer without a query
wherever the page, its steps and its rule report ask. Prefetching them through the ORM built
both queries on every view of the page, a sixth of its Python time (issue 18).
"""

from tuixuan.common.prepared import Param, Prepared

from .models import Attachment, Photo


def read_photos_and_attachments(nomination):
    """``nomination``'s photos (in their own order, not the model's, which sorts by the
    nomination first and so joins its table to sort one nomination's photos) and attachments,
    read now and kept as prefetched; not again when read already (检查 reads them for its
    report, and the page after it reads from the same)."""
    cache = getattr(nomination, "_prefetched_objects_cache", None)
    if cache is None:
        cache = nomination._prefetched_objects_cache = {}
    if "photos" not in cache:
        _hand_over(nomination, "photos", _photos.rows(nomination.pk), order=("order", "pk"))
    if "attachments" not in cache:
        _hand_over(nomination, "attachments", _attachments.rows(nomination.pk))


def _hand_over(nomination, relation, rows, order=None):
    """What ``prefetch_related_objects`` does with the rows it read: each row knows its
    nomination, and the relation's queryset (the nomination's rows, so a further ``filter``
    still asks the database about this nomination only) holds them."""
    manager = getattr(nomination, relation)
    for row in rows:
        manager.field.set_cached_value(row, nomination)
    queryset = manager.order_by(*order) if order else manager.all()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    nomination._prefetched_objects_cache[relation] = queryset


_photos = Prepared(
    lambda nomination_id: Photo.objects.filter(nomination_id=nomination_id).order_by("order", "pk"),
    Param(-8_100_001),
)
_attachments = Prepared(
    lambda nomination_id: Attachment.objects.filter(nomination_id=nomination_id),
    Param(-8_100_002),
)
