"""A backup taken with one storage restores into the other: from the bucket onto a local disk
and back, every file byte for byte (tests/common/test_backup.py runs the rest on both)."""

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.conftest import BEFORE_DEADLINE, complete_nomination, use_storage
from tests.fixtures.pdfs import pdf_bytes
from tests.fixtures.s3 import stored_hashes
from tuixuan.common.backup import restore_backup, write_backup
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Photo


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("taken_on", "restored_on"), [("s3", "local"), ("local", "s3")])
def test_a_backup_restores_into_the_other_storage_with_identical_files(
    settings, tmp_path, gx, unit, member, s3_bucket, taken_on, restored_on
):
    use_storage(settings, taken_on)
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.attach_stamped_pdf(
        member, nomination, SimpleUploadedFile("盖章.pdf", pdf_bytes()), now=BEFORE_DEADLINE
    )
    before = stored_hashes(default_storage)
    named = {photo.file.name for photo in Photo.objects.all()}
    assert named <= set(before)

    manifest = write_backup(tmp_path / "backup.zip")
    assert {entry.path.removeprefix("media/") for entry in manifest.media} == set(before)
    call_command("flush", interactive=False, verbosity=0)
    for name in before:
        default_storage.delete(name)

    use_storage(settings, restored_on)
    restore_backup(tmp_path / "backup.zip")
    assert stored_hashes(storages[restored_on]) == before
    assert stored_hashes(storages[taken_on]) == {}
    assert Nomination.objects.get().uid == nomination.uid
    assert {photo.file.name for photo in Photo.objects.all()} == named
