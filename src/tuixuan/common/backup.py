"""Backup and restore: the whole database and every media file in one archive, with a manifest.

``write_backup(out)`` writes one **zip** file. Zip rather than tar.gz because: its central directory
sits at the end, so an archive cut short is refused the moment it is opened; its entries can be read
in any order, so a restore first verifies every hash and only later, after the database load has
succeeded, copies the media out, without unpacking to a temporary folder or reading the file twice
as a stream; photos and PDFs (already compressed) are *stored* while the database dump is deflated;
and it is the format the forwarding package already uses and every office computer opens.

Inside:

``database.jsonl``
    The database as Django's JSON Lines serialization, independent of the database engine (a SQLite
    backup restores into PostgreSQL and back). Every installed model is dumped in dependency order
    with its primary key, so references, the audit log's order and the nominations' ``uid`` survive
    unchanged; datetimes keep their microseconds. Left out, on purpose:

    * ``contenttypes.ContentType`` and ``auth.Permission``: ``migrate`` recreates them, with ids
      that may differ between databases, so every reference to them (``admin.LogEntry``, user and
      group permissions) is written by natural key (``["nominations", "nomination"]``,
      ``["change_nomination", "nominations", "nomination"]``) and resolved on restore;
    * ``sessions.Session``: logins are not data; restoring them would revive old sessions;
    * the ``django_tasks_db`` task results: a queue of work in progress, which must not be rerun
      (an export that was running at backup time is restored as the row the organiser sees; its
      files are in the media);
    * django-axes' login attempts and access logs: the running site's throttling state, which
      would also make a freshly deployed site "not empty" as soon as someone tried to sign in.

``media/…``
    Every stored file (photos, stamped PDFs, finished exports), read through Django's storage API
    from the local disk or the object-storage bucket alike (common/storage.py), copied in chunks,
    never read whole. A backup taken with one storage restores into the other.

``manifest.json``
    Format name and version, when, the Django version and database engine it came from, the
    migration state (app → latest applied migration), the row count of every model (and of every
    many-to-many table), and every file's path, size and SHA-256, the dump included. The manifest
    detects corruption, truncation and casual tampering; it is not a signature (whoever can rewrite
    the archive can rewrite its manifest), so keep backups where only the operators can write.

``restore_backup(archive)`` verifies everything first and changes nothing unless all of it holds:
the archive checks of ``common.archive`` (shared with the forwarding package: safe paths, no links,
no duplicates, size and compression-ratio limits, the manifest and every file's size and hash),
a target database with none of our rows (its migrations may be applied; an empty database is
migrated first when that brings it to the backup's migration state), the same migration state as
the backup. It then loads the dump in one transaction, checks every count against the manifest,
resets PostgreSQL's sequences, and writes the media files through the storage (never over an
existing file); if anything fails, the transaction is rolled back and the media files written so
far are removed.

Consistency of a live backup: the dump is read in one transaction (on PostgreSQL a repeatable-read
snapshot; on SQLite the transaction holds the write lock, so writers wait for the dump, not for the
media copy). Media are copied after the dump, so a file uploaded meanwhile is merely extra; a file
deleted meanwhile is listed under ``missing_media`` in the manifest.
"""

import contextlib
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.management.sql import emit_post_migrate_signal
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, router, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .archive import GIB, MANIFEST, Limits, Listed, SafeArchive, open_archive, unsafe_path
from .exceptions import Refused
from .health import PROBE_FOLDER
from .storage import HashingReader, open_stream, walk

FORMAT = "tuixuan-backup"
VERSION = 1
DUMP = "database.jsonl"
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024
ROWS_PER_QUERY = 2000
# A backup holds a campaign's every photo, PDF and finished export: far more than a package. The
# member count keeps the manifest (about 200 bytes a file) under the shared 64 MB manifest limit.
LIMITS = Limits(members=250_000, member_bytes=64 * GIB, total_bytes=1024 * GIB)

# Recreated by ``migrate`` (referenced by natural key) or not data at all; see the module docstring.
EXCLUDED_MODELS = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "django_tasks_database.dbtaskresult",
        "axes.accessattempt",
        "axes.accesslog",
        "axes.accessfailurelog",
    }
)


@dataclass(frozen=True)
class FileEntry:
    path: str
    size: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    migrations: dict
    counts: dict
    files: list
    django_version: str = ""
    database_vendor: str = ""
    missing_media: list = field(default_factory=list)
    skipped_media: list = field(default_factory=list)
    format: str = FORMAT
    version: int = VERSION

    @property
    def database(self) -> FileEntry:
        return next(entry for entry in self.files if entry.path == DUMP)

    @property
    def media(self) -> list:
        return [entry for entry in self.files if entry.path.startswith(MEDIA_PREFIX)]

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data) -> "Manifest":
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise Refused("manifest.json 不是推选系统的备份清单。")
        if data.get("version") != VERSION:
            raise Refused(f"备份格式版本“{data.get('version')}”不受支持（应为{VERSION}）。")
        files, migrations, counts = data.get("files"), data.get("migrations"), data.get("counts")
        if not (
            isinstance(files, list)
            and all(
                isinstance(item, dict)
                and isinstance(item.get("path"), str)
                and type(item.get("size")) is int
                and isinstance(item.get("sha256"), str)
                for item in files
            )
            and isinstance(migrations, dict)
            and isinstance(counts, dict)
            and all(isinstance(n, int) and n >= 0 for n in counts.values())
        ):
            raise Refused("manifest.json 内容不完整（文件清单、迁移状态或记录数有误）。")
        entries = [FileEntry(item["path"], item["size"], item["sha256"]) for item in files]
        paths = [entry.path for entry in entries]
        if DUMP not in paths:
            raise Refused(f"manifest.json 未列出数据库文件 {DUMP}。")
        for path in paths:
            if path != DUMP and not path.startswith(MEDIA_PREFIX):
                raise Refused(f"manifest.json 中的文件“{path}”不属于数据库或媒体文件。")
        return cls(
            created_at=str(data.get("created_at", "")),
            migrations=migrations,
            counts=counts,
            files=entries,
            django_version=str(data.get("django_version", "")),
            database_vendor=str(data.get("database_vendor", "")),
            missing_media=list(data.get("missing_media") or []),
            skipped_media=list(data.get("skipped_media") or []),
        )


# Writing ---------------------------------------------------------------------------------------


def write_backup(out_path, *, using=DEFAULT_DB_ALIAS) -> Manifest:
    """Write the database and every media file to the zip ``out_path``; return its manifest.

    The archive is written beside ``out_path`` under a ``.part`` name and renamed when complete, so
    a backup that fails or is interrupted never leaves a file that looks like a backup.
    """
    out = Path(out_path).absolute()
    storage = default_storage
    if isinstance(storage, FileSystemStorage) and out.resolve().is_relative_to(
        Path(storage.location).resolve()
    ):
        raise Refused("备份文件不能写在媒体文件目录（MEDIA_ROOT）之内。")
    if not out.parent.is_dir():
        raise Refused(f"目录“{out.parent}”不存在。")
    part = out.with_name(out.name + ".part")
    try:
        with zipfile.ZipFile(part, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            dumped = _write_dump(archive, using)
            media, skipped = _write_media(archive, storage)
            copied = {entry.path.removeprefix(MEDIA_PREFIX) for entry in media}
            manifest = Manifest(
                created_at=timezone.now().isoformat(),
                migrations=dumped["migrations"],
                counts=dumped["counts"],
                files=[dumped["entry"], *media],
                django_version=django.get_version(),
                database_vendor=connections[using].vendor,
                missing_media=sorted(dumped["referenced"] - copied),
                skipped_media=skipped,
            )
            data = json.dumps(manifest.as_dict(), ensure_ascii=False, indent=1).encode("utf-8")
            archive.writestr(MANIFEST, data, compress_type=zipfile.ZIP_DEFLATED)
        os.replace(part, out)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return manifest


class _Encoder(DjangoJSONEncoder):
    """Django's encoder keeps milliseconds only; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _HashingWriter(io.RawIOBase):
    def __init__(self, target):
        self.target, self.digest, self.size = target, hashlib.sha256(), 0

    def writable(self):
        return True

    def write(self, data):
        self.digest.update(data)
        self.size += len(data)
        self.target.write(data)
        return len(data)


def _write_dump(archive, using) -> dict:
    connection = connections[using]
    counts, referenced = {}, set()
    info = zipfile.ZipInfo(DUMP, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one snapshot for every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        migrations = migration_state(connection)
        ordered = dumped_models(using)
        with archive.open(info, "w", force_zip64=True) as entry:
            hashing = _HashingWriter(entry)
            text = io.TextIOWrapper(
                io.BufferedWriter(hashing, CHUNK), encoding="utf-8", newline="\n"
            )
            serializers.serialize(
                "jsonl",
                _objects(ordered, counts, referenced, using),
                stream=text,
                use_natural_foreign_keys=True,
                use_natural_primary_keys=False,
                cls=_Encoder,
            )
            text.flush()
        for through in _through_models(ordered):
            counts[through._meta.label] = through._base_manager.using(using).count()
    return {
        "migrations": migrations,
        "counts": counts,
        "referenced": referenced,
        "entry": FileEntry(DUMP, hashing.size, hashing.digest.hexdigest()),
    }


def _objects(ordered, counts, referenced, using):
    """Every row of every dumped model, by primary key, counting rows and noting stored files."""
    for model in ordered:
        file_fields = [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]
        m2m = [
            f.name for f in model._meta.many_to_many if f.remote_field.through._meta.auto_created
        ]
        queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
        if m2m:
            queryset = queryset.prefetch_related(*m2m)
        count = 0
        for obj in queryset.iterator(chunk_size=ROWS_PER_QUERY):
            count += 1
            for file_field in file_fields:
                if name := getattr(obj, file_field.attname):
                    referenced.add(name)
            yield obj
        counts[model._meta.label] = count


def _write_media(archive, storage):
    """Every stored file, in chunks. Links and special files on a local disk, names that would
    not unpack safely and the health check's probes are skipped; a file deleted between the
    listing and its reading is simply not there (the manifest's ``missing_media`` tells)."""
    entries, skipped = [], []
    when = timezone.localtime().timetuple()[:6]
    for name in walk(storage, skipped=skipped):
        if name.startswith(PROBE_FOLDER + "/"):
            continue
        if unsafe_path(name):
            skipped.append(name)
            continue
        try:
            source = open_stream(storage, name)
        except FileNotFoundError:
            continue
        info = zipfile.ZipInfo(MEDIA_PREFIX + name, date_time=when)
        info.compress_type = zipfile.ZIP_STORED
        digest, size = hashlib.sha256(), 0
        with source, archive.open(info, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        entries.append(FileEntry(info.filename, size, digest.hexdigest()))
    return entries, skipped


# What is dumped, and the migration state -------------------------------------------------------


def dumped_models(using=DEFAULT_DB_ALIAS) -> list:
    """The models a backup carries, each after the models it refers to (cycles broken by label)."""
    chosen = sorted(
        (
            model
            for model in apps.get_models()
            if model._meta.label_lower not in EXCLUDED_MODELS
            and model._meta.managed
            and not model._meta.proxy
            and router.allow_migrate_model(using, model)
        ),
        key=lambda model: model._meta.label,
    )
    pending = {
        model: {
            f.related_model
            for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
            if f.is_relation and f.related_model in chosen and f.related_model is not model
        }
        for model in chosen
    }
    ordered = []
    while pending:
        ready = [model for model, needs in pending.items() if not needs] or [next(iter(pending))]
        for model in ready:
            ordered.append(model)
            del pending[model]
        for needs in pending.values():
            needs.difference_update(ready)
    return ordered


def _through_models(ordered) -> list:
    return [
        f.remote_field.through
        for model in ordered
        for f in model._meta.many_to_many
        if f.remote_field.through._meta.auto_created
    ]


def migration_state(connection) -> dict:
    """App label → latest applied migration (a sorted list if an app has several leaves)."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return _latest(loader.graph, set(loader.applied_migrations))


def code_migration_state(connection) -> dict:
    """What ``migrate`` would bring the database to with this version of the code."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return _latest(loader.graph, set(loader.graph.leaf_nodes()))


def _latest(graph, nodes) -> dict:
    state = {}
    for app in sorted({app for app, _ in nodes}):
        mine = {node for node in nodes if node[0] == app}
        known = {node for node in mine if node in graph.nodes}
        earlier = set()
        for node in known:
            earlier.update(graph.forwards_plan(node)[:-1])
        leaves = sorted(name for _, name in (known - earlier) | (mine - known))
        state[app] = leaves[0] if len(leaves) == 1 else leaves
    return state


# Restoring -------------------------------------------------------------------------------------


def restore_backup(archive_path, *, using=DEFAULT_DB_ALIAS) -> Manifest:
    """Bring a backup back into an empty database and the (local or bucket) storage; all of it or
    nothing."""
    storage = default_storage
    with open_archive(archive_path, noun="备份", limits=LIMITS) as archive:
        manifest = verify_archive(archive)
        _check_empty(using)
        _check_migrations(manifest, using)
        _check_media_targets(manifest, storage)
        written = []
        try:
            with transaction.atomic(using=using):
                _load_dump(archive, manifest, using)
                _extract_media(archive, manifest, storage, written)
        except BaseException:
            for name in written:
                storage.delete(name)
            if isinstance(storage, FileSystemStorage):
                _remove_empty_folders(Path(storage.location), written)
            raise
    return manifest


def read_manifest(archive_path) -> Manifest:
    """Open and completely verify a backup without restoring it."""
    with open_archive(archive_path, noun="备份", limits=LIMITS) as archive:
        return verify_archive(archive)


def verify_archive(archive: SafeArchive) -> Manifest:
    """A valid manifest, every listed file present with its size and hash, no others."""
    manifest = Manifest.from_dict(archive.manifest())
    archive.verify(Listed(entry.path, entry.size, entry.sha256) for entry in manifest.files)
    return manifest


def _media_name(entry) -> str:
    name = entry.path.removeprefix(MEDIA_PREFIX)
    if why := unsafe_path(name):
        raise Refused(f"媒体文件“{name}”的路径{why}，已拒绝。")
    return name


def _check_media_targets(manifest, storage):
    for entry in manifest.media:
        name = _media_name(entry)
        if storage.exists(name):
            raise Refused(
                f"文件存储中已有“{name}”，恢复不会覆盖已有文件；"
                "请先清空媒体文件目录（MEDIA_ROOT）或存储桶。"
            )


def _check_empty(using):
    connection = connections[using]
    tables = set(connection.introspection.table_names())
    ordered = dumped_models(using)
    occupied = []
    for model in [*ordered, *_through_models(ordered)]:
        if model._meta.db_table in tables:
            count = model._base_manager.using(using).count()
            if count:
                occupied.append(f"{model._meta.verbose_name}（{model._meta.label}）{count}条")
    if occupied:
        raise Refused(
            "目标数据库不是空的，恢复只能在空数据库中进行（可先新建数据库并执行 migrate）。"
            "已有数据：" + "；".join(occupied[:5]) + ("等。" if len(occupied) > 5 else "。")
        )


def _check_migrations(manifest, using):
    """The database must be at the backup's migration state; an empty one is migrated to it."""
    connection = connections[using]
    current = migration_state(connection)
    if current == manifest.migrations:
        return
    if code_migration_state(connection) == manifest.migrations:
        call_command("migrate", database=using, interactive=False, verbosity=0)
        current = migration_state(connection)
        if current == manifest.migrations:
            return
    differences = [
        f"{app}：备份为 {manifest.migrations.get(app, '（无）')}，"
        f"当前数据库为 {current.get(app, '（无）')}"
        for app in sorted(set(manifest.migrations) | set(current))
        if manifest.migrations.get(app) != current.get(app)
    ]
    raise Refused(
        "备份时的数据库结构（迁移状态）与当前数据库不一致，未恢复。"
        "请使用与备份时相同版本的系统恢复，再升级。差异："
        + "；".join(differences[:5])
        + ("等。" if len(differences) > 5 else "。")
    )


def _load_dump(archive, manifest, using):
    """Load the dump (inside the caller's transaction), as ``loaddata`` would, then check it."""
    connection = connections[using]
    allowed = set(dumped_models(using))
    loaded, deferred = set(), []
    # Content types and permissions are what the dump's natural keys point at: make sure they
    # exist, as migrate's post_migrate handlers would (idempotent).
    emit_post_migrate_signal(verbosity=0, interactive=False, db=using)
    try:
        with archive.archive.open(manifest.database.path) as entry:
            reader = HashingReader(entry)
            text = io.TextIOWrapper(io.BufferedReader(reader, CHUNK), encoding="utf-8")
            with connection.constraint_checks_disabled():
                for obj in serializers.deserialize(
                    "jsonl", text, using=using, handle_forward_references=True
                ):
                    model = type(obj.object)
                    if model not in allowed:
                        raise Refused(f"数据库文件中有不应备份的“{model._meta.label}”记录。")
                    obj.save(using=using, force_insert=True)
                    loaded.add(model)
                    if obj.deferred_fields:
                        deferred.append(obj)
                for obj in deferred:
                    obj.save_deferred_fields(using=using)
            if reader.digest.hexdigest() != manifest.database.sha256:
                raise Refused("数据库文件在校验后被改动，已撤销。")
        loaded |= set(_through_models(list(loaded)))
        connection.check_constraints(table_names=[model._meta.db_table for model in loaded])
    except Refused:
        raise
    except (
        DeserializationError,
        DatabaseError,
        ValueError,
        LookupError,
        zipfile.BadZipFile,
    ) as error:
        raise Refused(f"数据库内容载入失败，已全部撤销：{error}") from error
    _check_counts(manifest, using)
    sql = connection.ops.sequence_reset_sql(no_style(), sorted(loaded, key=str))
    if sql:
        with connection.cursor() as cursor:
            for statement in sql:
                cursor.execute(statement)


def _check_counts(manifest, using):
    for label, expected in sorted(manifest.counts.items()):
        try:
            model = apps.get_model(label)
        except LookupError:
            raise Refused(f"备份中的“{label}”在本系统中不存在。") from None
        actual = model._base_manager.using(using).count()
        if actual != expected:
            raise Refused(f"恢复后“{label}”有{actual}条记录，与清单的{expected}条不符，已撤销。")


def _extract_media(archive, manifest, storage, written):
    """Write each media file through the storage, never over an existing one, each hashed again
    (into a temporary file) before it is stored."""
    for entry in manifest.media:
        name = _media_name(entry)
        with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as held:
            digest = hashlib.sha256()
            archive.stream(entry.path, _tee(held, digest))
            if digest.hexdigest() != entry.sha256:
                raise Refused(f"文件“{entry.path}”在校验后被改动，已撤销。")
            held.seek(0)
            if storage.exists(name):
                raise Refused(f"文件存储中已有“{name}”，恢复不会覆盖已有文件。")
            stored = storage.save(name, File(held, name=name))
        written.append(stored)
        if stored != name:  # someone stored a file of that name meanwhile: the storage renamed ours
            raise Refused(f"文件存储中已有“{name}”，恢复不会覆盖已有文件。")


def _remove_empty_folders(root, names):
    """After a failed restore on the local disk: the folders it made, if they are empty now."""
    folders = {parent for name in names for parent in Path(root, name).parents}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        if folder.is_relative_to(root) and folder != root:
            with contextlib.suppress(OSError):
                folder.rmdir()  # only if empty: never a folder with anything in it


def _tee(handle, digest):
    def sink(chunk):
        digest.update(chunk)
        handle.write(chunk)

    return sink
