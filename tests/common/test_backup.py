"""Backup and restore round-trip the database and every media file, or refuse and change nothing.

These tests commit real data (transactional tests), back it up, wipe the database with ``flush``
(which also resets PostgreSQL's sequences) and the stored files, and restore. Those about the
files run twice: with the local disk and with a bucket on a real S3-compatible server
(``where``); tests/storage restores a backup from one into the other.
"""

import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.conftest import BEFORE_DEADLINE, category, complete_nomination, make_member, make_unit
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.common.backup import DUMP, MANIFEST, restore_backup, write_backup
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.common.storage import walk
from tuixuan.nominations import services
from tuixuan.nominations.models import Attachment, Nomination, Photo, Status
from tuixuan.review.models import Announcement
from tuixuan.units.models import Role, RoleKind

pytestmark = pytest.mark.django_db(transaction=True)

ADMIN_PASSWORD = "Beifen-2025-huifu"


# The tests about stored files run with the local disk and with a bucket on the S3 test server.
BOTH = pytest.mark.parametrize("where", ["local", "s3"], indirect=True)


@pytest.fixture
def where(request):
    kind = getattr(request, "param", "local")
    if kind == "s3":
        request.getfixturevalue("in_s3")
    return kind


def sha256(name) -> str:
    with default_storage.open(name, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def no_stored_files() -> bool:
    return not list(walk(default_storage))


def stored_files() -> set:
    """Every file the rows name: photos, their form copies and the stamped PDFs."""
    photos = Photo.objects.all()
    return {
        *(p.file.name for p in photos),
        *(p.form_copy.name for p in photos if p.form_copy),
        *(a.file.name for a in Attachment.objects.all()),
    }


@pytest.fixture
def data(gx, where):
    """Realistic data made through the real services: two units, nominations with real photos, a
    stamped PDF, submissions and an acceptance (audit events), and rows that only natural keys can
    carry across databases (a group's permission, an admin log entry)."""
    unit = make_unit(gx)
    other = make_unit(gx, "gx-agri-society", "广西农学会")
    member, other_member = make_member(unit), make_member(other)
    organiser = get_user_model().objects.create_user("organiser", password="x")
    Role.objects.create(user=organiser, kind=RoleKind.ORGANISER, campaign=gx)
    admin = get_user_model().objects.create_superuser("admin", password=ADMIN_PASSWORD)

    volunteer = complete_nomination(member, gx, unit, "volunteer")
    services.attach_stamped_pdf(
        member, volunteer, SimpleUploadedFile("盖章.pdf", pdf_bytes(pages=2)), now=BEFORE_DEADLINE
    )
    services.submit(member, volunteer, now=BEFORE_DEADLINE)
    services.accept(organiser, volunteer, reason="材料齐全")
    project = complete_nomination(other_member, gx, other, "project")
    services.submit(other_member, project, now=BEFORE_DEADLINE)
    draft = complete_nomination(member, gx, unit, "organisation")

    reviewers = Group.objects.create(name="评审组")
    reviewers.permissions.add(Permission.objects.get(codename="view_nomination"))
    organiser.groups.add(reviewers)
    organiser.user_permissions.add(Permission.objects.get(codename="change_campaign"))
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Nomination),
        object_id=str(volunteer.pk),
        object_repr=str(volunteer),
        action_flag=ADDITION,
    )
    announcement = Announcement.objects.create(
        campaign=gx, title="公示", starts_on=date(2025, 3, 1), ends_on=date(2025, 3, 7)
    )
    announcement.nominations.add(volunteer, project)

    nominations = {n.uid: n for n in Nomination.objects.all()}
    assert {volunteer.uid, project.uid, draft.uid} == set(nominations)
    return {
        "campaign": gx,
        "nominations": {
            uid: (n.pk, n.status, n.values, n.name, n.submitted_at, n.created_at)
            for uid, n in nominations.items()
        },
        "files": {name: sha256(name) for name in stored_files()},
        "audit": list(
            AuditEvent.objects.order_by("at", "pk").values_list(
                "pk", "action", "from_state", "to_state", "nomination__uid", "at"
            )
        ),
    }


@pytest.fixture
def backup(data, tmp_path):
    path = tmp_path / "backup.zip"
    manifest = write_backup(path)
    return path, manifest


def wipe():
    call_command("flush", interactive=False, verbosity=0)
    for name in list(walk(default_storage)):
        default_storage.delete(name)


def our_rows() -> int:
    return sum(
        model._base_manager.count()
        for model in (Nomination, Photo, AuditEvent, Announcement, get_user_model())
    )


def rewrite(source, target, change):
    """Copy a backup entry by entry, letting ``change(name, data)`` alter or drop each one."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)


@BOTH
def test_manifest_lists_every_file_with_its_hash_and_every_model_with_its_count(backup, data):
    path, manifest = backup
    with zipfile.ZipFile(path) as archive:
        listed = json.loads(archive.read(MANIFEST))
        names = set(archive.namelist())
        for entry in listed["files"]:
            assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
            assert archive.getinfo(entry["path"]).file_size == entry["size"]
        assert archive.getinfo(DUMP).compress_type == zipfile.ZIP_DEFLATED
    assert listed["format"] == "tuixuan-backup" and listed["version"] == 1
    assert names == {MANIFEST} | {entry["path"] for entry in listed["files"]}
    assert {f"media/{name}" for name in data["files"]} == {e.path for e in manifest.media}
    assert listed["counts"]["nominations.Nomination"] == 3
    assert listed["counts"]["review.Announcement_nominations"] == 2
    assert listed["counts"]["common.AuditEvent"] == len(data["audit"])
    assert "contenttypes.ContentType" not in listed["counts"]
    assert "sessions.Session" not in listed["counts"]
    assert listed["migrations"]["nominations"]
    assert listed["missing_media"] == []


@BOTH
def test_round_trip_restores_every_row_file_and_audit_event(backup, data, client):
    path, manifest = backup
    wipe()
    assert our_rows() == 0

    call_command("restore", str(path), verbosity=0)

    for label, count in manifest.counts.items():
        assert apps.get_model(label)._base_manager.count() == count, label
    for uid, (pk, status, values, name, submitted_at, created_at) in data["nominations"].items():
        restored = Nomination.objects.get(uid=uid)
        assert (restored.pk, restored.status, restored.values, restored.name) == (
            pk,
            status,
            values,
            name,
        )
        assert (restored.submitted_at, restored.created_at) == (submitted_at, created_at)
    assert {n.status for n in Nomination.objects.all()} == {
        Status.ACCEPTED,
        Status.SUBMITTED,
        Status.DRAFT,
    }
    for name, digest in data["files"].items():
        assert sha256(name) == digest
    assert stored_files() == set(data["files"])
    audit = list(
        AuditEvent.objects.order_by("at", "pk").values_list(
            "pk", "action", "from_state", "to_state", "nomination__uid", "at"
        )
    )
    assert audit == data["audit"]
    assert [row[1] for row in audit].count("nomination.submit") == 2

    organiser = get_user_model().objects.get(username="organiser")
    assert organiser.has_perm("nominations.view_nomination")  # through the restored group
    assert organiser.has_perm("campaigns.change_campaign")
    entry = LogEntry.objects.get()
    assert entry.content_type.model_class() is Nomination
    assert set(Announcement.objects.get().nominations.values_list("uid", flat=True)) == {
        uid for uid, row in data["nominations"].items() if row[1] != Status.DRAFT
    }

    # The restored admin signs in through the real login page.
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "admin", "password": ADMIN_PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_new_rows_after_restore_get_fresh_ids(backup, data):
    path, _ = backup
    wipe()
    restore_backup(path)

    gx = data["campaign"]
    newcomer = make_unit(gx, "gx-new-unit", "广西新单位")
    member = make_member(newcomer)
    events = AuditEvent.objects.count()
    nomination = complete_nomination(member, gx, newcomer, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)

    assert nomination.pk > max(row[0] for row in data["nominations"].values())
    assert AuditEvent.objects.count() > events
    assert Nomination.objects.count() == 4
    assert category(gx, "volunteer").nominations.count() == 2


@BOTH
def test_backup_taken_on_a_restored_database_is_the_same(backup, data, tmp_path):
    path, manifest = backup
    wipe()
    restore_backup(path)
    again = write_backup(tmp_path / "again.zip")
    assert again.counts == manifest.counts
    assert {e.path: e.sha256 for e in again.media} == {e.path: e.sha256 for e in manifest.media}
    assert again.database.sha256 == manifest.database.sha256


def test_restore_into_a_database_with_data_is_refused(backup, data):
    path, _ = backup
    before = our_rows()
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(path), verbosity=0)
    assert our_rows() == before


@BOTH
@pytest.mark.parametrize("byte", [0, 5000])
def test_an_archive_with_one_byte_of_a_photo_changed_is_refused(backup, data, tmp_path, byte):
    path, _ = backup
    photo = f"media/{Photo.objects.first().file.name}"
    tampered = tmp_path / "tampered.zip"

    def flip(name, content):
        if name != photo:
            return content
        return content[:byte] + bytes([content[byte] ^ 1]) + content[byte + 1 :]

    rewrite(path, tampered, flip)
    wipe()
    with pytest.raises(Refused, match=r"校验值（SHA-256）与清单不符"):
        restore_backup(tampered)
    assert our_rows() == 0
    assert no_stored_files()


def test_an_archive_changed_in_place_is_refused(backup, data):
    """One byte flipped inside the zip itself (its CRC no longer matches either)."""
    path, manifest = backup
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(manifest.media[0].path)
    raw[info.header_offset + 30 + len(info.filename.encode()) + 1000] ^= 0xFF
    path.write_bytes(bytes(raw))
    wipe()
    with pytest.raises(CommandError, match="未恢复"):
        call_command("restore", str(path), verbosity=0)
    assert our_rows() == 0


def test_a_truncated_archive_is_refused(backup, data, tmp_path):
    path, _ = backup
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    wipe()
    with pytest.raises(CommandError, match="不完整"):
        call_command("restore", str(truncated), verbosity=0)
    assert our_rows() == 0


def test_an_archive_missing_a_listed_file_is_refused(backup, data, tmp_path):
    path, manifest = backup
    shorter = tmp_path / "shorter.zip"
    dropped = manifest.media[-1].path
    rewrite(path, shorter, lambda name, content: None if name == dropped else content)
    wipe()
    with pytest.raises(Refused, match="不在备份内"):
        restore_backup(shorter)
    assert our_rows() == 0


def test_an_archive_with_a_path_outside_the_media_folder_is_refused(
    backup, data, media_root, tmp_path
):
    path, _ = backup
    escaping = tmp_path / "escaping.zip"
    payload = b"not a photo"
    evil = "media/../../evil.txt"

    def add_evil(name, content):
        if name != MANIFEST:
            return content
        manifest = json.loads(content)
        manifest["files"].append(
            {"path": evil, "size": len(payload), "sha256": hashlib.sha256(payload).hexdigest()}
        )
        return json.dumps(manifest).encode()

    rewrite(path, escaping, add_evil)
    with zipfile.ZipFile(escaping, "a") as archive:
        archive.writestr(evil, payload)
    wipe()
    with pytest.raises(Refused, match="不安全"):
        restore_backup(escaping)
    assert our_rows() == 0
    assert not (tmp_path / "evil.txt").exists()
    assert not (media_root.parent.parent / "evil.txt").exists()


def test_an_archive_with_a_symlink_is_refused(backup, data, tmp_path):
    path, _ = backup
    linked = tmp_path / "linked.zip"
    rewrite(path, linked, lambda name, content: content)
    link = zipfile.ZipInfo("media/photos/link.jpg")
    link.external_attr = (0o120777 << 16) | 0
    with zipfile.ZipFile(linked, "a") as archive:
        archive.writestr(link, "/etc/passwd")
    wipe()
    with pytest.raises(Refused, match="符号链接"):
        restore_backup(linked)


def test_a_media_file_that_inflates_like_a_zip_bomb_is_refused_as_a_package_would_be(
    backup, data, tmp_path
):
    """Drift fixed: the backup used to restore an entry of any compression ratio; the forwarding
    package refused one inflating over 200 times. Both now use common.archive."""
    path, _ = backup
    bomb = tmp_path / "bomb.zip"
    zeros = b"\0" * (3 * 1024 * 1024)
    name = "media/photos/zeros.bin"

    def add_listing(entry, content):
        if entry != MANIFEST:
            return content
        manifest = json.loads(content)
        listed = {"path": name, "size": len(zeros), "sha256": hashlib.sha256(zeros).hexdigest()}
        manifest["files"].append(listed)
        return json.dumps(manifest).encode()

    rewrite(path, bomb, add_listing)
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, zeros)
    wipe()
    with pytest.raises(CommandError, match=r"未恢复：备份内的“media/photos/zeros.bin”压缩比异常"):
        call_command("restore", str(bomb), verbosity=0)
    assert our_rows() == 0
    assert no_stored_files()


def test_a_backup_from_another_migration_state_is_refused(backup, data, tmp_path):
    path, _ = backup
    older = tmp_path / "older.zip"

    def older_state(name, content):
        if name != MANIFEST:
            return content
        manifest = json.loads(content)
        manifest["migrations"]["nominations"] = "0001_initial"
        return json.dumps(manifest).encode()

    rewrite(path, older, older_state)
    wipe()
    with pytest.raises(Refused, match=r"迁移状态.*nominations：备份为 0001_initial"):
        restore_backup(older)
    assert our_rows() == 0


@BOTH
def test_a_dump_that_fails_to_load_leaves_no_rows_and_no_files(backup, data, tmp_path):
    """A well-formed archive whose dump breaks a foreign key: rolled back, no media written."""
    path, _ = backup
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(path) as archive:
        lines = archive.read(DUMP).decode().splitlines()
    for number, line in enumerate(lines):
        row = json.loads(line)
        if row["model"] == "nominations.photo":
            row["fields"]["nomination"] = 999_999
            lines[number] = json.dumps(row, ensure_ascii=False)
            break
    dump = ("\n".join(lines) + "\n").encode()

    def swap(name, content):
        if name == DUMP:
            return dump
        if name == MANIFEST:
            manifest = json.loads(content)
            for entry in manifest["files"]:
                if entry["path"] == DUMP:
                    entry.update(size=len(dump), sha256=hashlib.sha256(dump).hexdigest())
            return json.dumps(manifest).encode()
        return content

    rewrite(path, broken, swap)
    wipe()
    with pytest.raises(Refused, match="载入失败"):
        restore_backup(broken)
    assert our_rows() == 0
    assert no_stored_files()


@BOTH
def test_restore_never_overwrites_a_media_file(backup, data):
    path, _ = backup
    call_command("flush", interactive=False, verbosity=0)  # the files stay
    with pytest.raises(Refused, match="不会覆盖"):
        restore_backup(path)
    assert our_rows() == 0


def test_backup_command_writes_the_archive(data, tmp_path):
    out = io.StringIO()
    call_command("backup", "--out", str(tmp_path / "b.zip"), stdout=out)
    assert "已备份" in out.getvalue()
    assert zipfile.is_zipfile(tmp_path / "b.zip")
    assert not (tmp_path / "b.zip.part").exists()
