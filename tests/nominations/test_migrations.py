"""Upgrading a database whose photos were uploaded before form copies existed."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from tests.fixtures.images import camera_jpeg

BEFORE = ("nominations", "0003_nomination_nominations_campaig_730e76_idx")


@pytest.mark.django_db(transaction=True)
def test_photos_uploaded_before_the_upgrade_get_their_form_copy(gx, unit, member):
    from tests.conftest import complete_nomination

    nomination = complete_nomination(member, gx, unit, "project", photos=0)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        OldPhoto = executor.loader.project_state([BEFORE]).apps.get_model("nominations", "Photo")

        def old_photo(**fields):
            return OldPhoto(
                nomination_id=nomination.pk, content_type="image/jpeg", size=1, sha256="0" * 64,
                **fields,
            )  # fmt: skip

        photo = old_photo(width=1600, height=1200)
        photo.file.save("old.jpg", ContentFile(camera_jpeg((1600, 1200))), save=False)
        photo.save()
        lost = old_photo(width=1, height=1, file="photos/gone.jpg")  # file missing: goes on
        lost.save()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    from tuixuan.nominations.models import Photo

    upgraded = Photo.objects.get(pk=photo.pk)
    with upgraded.form_copy.open("rb") as copy, Image.open(copy) as image:
        assert image.size == (1280, 960)
    assert not Photo.objects.get(pk=lost.pk).form_copy

    copy_name = upgraded.form_copy.name
    executor = MigrationExecutor(connection)
    executor.migrate([("nominations", "0004_photo_form_copy")])  # undoing the upgrade
    try:
        assert not upgraded.form_copy.storage.exists(copy_name)  # no copy left without its row
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())
