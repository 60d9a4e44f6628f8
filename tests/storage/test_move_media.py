"""``manage.py move_media`` copies every stored file between the local disk and the bucket, checks
each copy's SHA-256, and finishes an interrupted run when started again."""

import hashlib
import io
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from tests.conftest import BEFORE_DEADLINE, ROOT, complete_nomination, use_storage
from tests.fixtures.pdfs import pdf_bytes
from tests.fixtures.s3 import client as s3_client
from tests.fixtures.s3 import stored_hashes
from tuixuan.nominations import services


def move(to) -> str:
    out = io.StringIO()
    call_command("move_media", "--to", to, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_files_moved_to_the_bucket_and_back_are_the_same_bytes_and_the_app_serves_them(
    client, settings, tmp_path, gx, unit, member, s3_bucket
):
    nomination = complete_nomination(member, gx, unit, "volunteer", photos=3)
    services.attach_stamped_pdf(
        member, nomination, SimpleUploadedFile("盖章.pdf", pdf_bytes()), now=BEFORE_DEADLINE
    )
    on_disk = stored_hashes(storages["local"])
    assert len(on_disk) >= 4  # three photos (and their copies) and the stamped PDF

    said = move("s3")
    assert f"新复制{len(on_disk)}个" in said and "核对无误" in said
    assert "TUIXUAN_STORAGE 改为 s3" in said
    assert stored_hashes(storages["s3"]) == on_disk
    assert "跳过" in move("s3") and f"跳过{len(on_disk)}个" in move("s3")  # nothing copied again

    use_storage(settings, "s3")  # the switch the command's help asks for
    settings.MEDIA_ROOT = tmp_path / "empty-disk"
    photo = nomination.photos.first()
    client.force_login(member)
    served = client.get(reverse("nominations:photo", args=[nomination.uid, photo.pk]))
    served_hash = hashlib.sha256(b"".join(served.streaming_content)).hexdigest()
    assert served_hash == on_disk[photo.file.name]

    said = move("local")
    assert f"新复制{len(on_disk)}个" in said
    assert stored_hashes(storages["local"]) == on_disk


FILES = 40


@pytest.mark.django_db
def test_an_interrupted_move_is_finished_by_running_it_again(
    tmp_path, media_root, s3_bucket, s3_endpoint
):
    rng = random.Random(7)
    local = storages["local"]
    for number in range(FILES):
        local.save(f"exports/batch/{number:03}.bin", ContentFile(rng.randbytes(64_000)))
    before = stored_hashes(local)

    # The command as an operator runs it, killed (SIGKILL) part way through.
    command = subprocess.Popen(
        [sys.executable, "manage.py", "move_media", "--to", "s3"],
        cwd=ROOT,
        env={
            **os.environ,
            "TUIXUAN_VAR_DIR": str(media_root.parent),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    s3, copied = s3_client(s3_endpoint), 0
    deadline = time.monotonic() + 60
    while copied < 4 and command.poll() is None and time.monotonic() < deadline:
        copied = s3.list_objects_v2(Bucket=s3_bucket).get("KeyCount", 0)
        time.sleep(0.05)
    command.send_signal(signal.SIGKILL)
    command.wait()
    copied = s3.list_objects_v2(Bucket=s3_bucket).get("KeyCount", 0)
    assert 0 < copied < FILES, command.stderr.read().decode()[-2000:]

    said = move("s3")
    assert f"新复制{FILES - copied}个" in said and f"跳过{copied}个" in said
    assert stored_hashes(storages["s3"]) == before


@pytest.mark.django_db
def test_a_copy_cut_short_on_the_disk_is_redone_and_a_different_file_is_never_overwritten(
    settings, in_s3
):
    bucket, local = storages["s3"], storages["local"]
    whole = random.Random(3).randbytes(300_000)
    for name in ("a/cut-short.bin", "a/different.bin", "a/missing.bin"):
        bucket.save(name, ContentFile(whole))
    local.save("a/cut-short.bin", ContentFile(whole[:100_000]))  # a copy killed mid-write
    local.save("a/different.bin", ContentFile(b"someone else's file"))

    with pytest.raises(CommandError) as refused:
        move("local")
    message = str(refused.value)
    assert "a/different.bin：目标中已有同名而内容不同的文件，未覆盖" in message
    assert "续传1个" in message and "新复制2个" in message
    with local.open("a/different.bin") as kept:
        assert kept.read() == b"someone else's file"
    for name in ("a/cut-short.bin", "a/missing.bin"):
        with local.open(name) as copied:
            assert copied.read() == whole


@pytest.mark.django_db
def test_move_media_refuses_without_a_bucket_or_to_where_the_files_already_are(monkeypatch):
    monkeypatch.delenv("TUIXUAN_S3_BUCKET", raising=False)
    with pytest.raises(CommandError, match="未配置对象存储：请设置 TUIXUAN_S3_BUCKET"):
        move("s3")
    with pytest.raises(CommandError, match=r"当前已在使用本机磁盘.*无需迁移"):
        move("local")
