"""The forwarding package: one zip that carries the chosen nominations to the level above.

Inside: ``类别/推荐单位-名称/`` per nomination with its Word form, its PDF form, the stamped PDF and
the photos; ``汇总表.xlsx``; and ``manifest.json``, which the level above imports
(``manage.py import_package``). The manifest names every file with its SHA-256, so a package that
was altered, cut short or padded is refused; so is one whose paths could escape the folder it is
unpacked into, one with links, and one that would inflate far beyond its size (a zip bomb).
"""

import hashlib
import io
import json
import multiprocessing
import re
import stat
import zipfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.db import connections
from django.utils import timezone

from tuixuan.nominations.models import Nomination

from .docx import nomination_docx
from .xlsx import summary_workbook

FORMAT = "tuixuan-package"
VERSION = 1
MANIFEST = "manifest.json"
SUMMARY = "汇总表.xlsx"
CHUNK = 1024 * 1024
MAX_ENTRIES = 50_000
MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_RATIO = 200  # uncompressed ÷ compressed, for entries over MAX_RATIO_FLOOR bytes
MAX_RATIO_FLOOR = 1024 * 1024
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png"}


class PackageError(ValueError):
    """The package is refused; the message says why, in Chinese."""


# Building --------------------------------------------------------------------------------------


def build_package(campaign, nominations, out, *, include_pdf=True, progress=None, workers=1):
    """Write the package for ``nominations`` (of ``campaign``) to ``out`` (a path or binary file).

    ``progress(done, total)`` is called after each nomination. With ``workers`` > 1 the forms are
    rendered in that many processes while this one writes the archive; they read the database
    themselves, so the nominations must be committed (as they are in the export worker).
    """
    nominations = list(nominations)
    folders = _Folders()
    entries = []
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_STORED, allowZip64=True) as archive,
        ThreadPoolExecutor(1) as hashing,
    ):
        put = _Writer(archive, hashing).put
        rendered = _rendered(nominations, include_pdf, workers)
        for done, (nomination, (docx, pdf)) in enumerate(rendered, start=1):
            folder = folders.claim(nomination)
            files = [put(f"{folder}推荐表.docx", "form_docx", docx)]
            if pdf is not None:
                files.append(put(f"{folder}推荐表.pdf", "form_pdf", pdf))
            for number, photo in enumerate(nomination.photos.all(), start=1):
                name = f"{folder}照片{number}{EXTENSIONS.get(photo.content_type, '.jpg')}"
                files.append(put(name, "photo", _contents(photo.file)))
            for attachment in nomination.attachments.all():
                name = f"{folder}盖章扫描件.pdf"
                files.append(put(name, attachment.kind, _contents(attachment.file)))
            entries.append(_entry(nomination, folder, files))
            if progress:
                progress(done, len(nominations))
        summary = put(SUMMARY, "summary", summary_workbook(campaign, nominations))
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": timezone.now().isoformat(),
            "campaign": {
                "key": campaign.key,
                "title": campaign.title,
                "year": campaign.year,
                "level": campaign.level,
                "region": campaign.region,
                "organiser": campaign.organiser,
                "document_number": campaign.document_number,
            },
            "summary": summary,
            "nominations": entries,
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
        archive.writestr(MANIFEST, data, compress_type=zipfile.ZIP_DEFLATED)


def exported(campaign, statuses):
    """The campaign's nominations in these statuses, in package order, with all the forms read."""
    return list(
        campaign.nominations.filter(status__in=statuses)
        .select_related("campaign", "category", "unit", "rendered_pdf")
        .prefetch_related("photos", "attachments", "category__fields")
        .order_by("category__order", "unit__name", "pk")
    )


def _render(nomination, include_pdf):
    docx = nomination_docx(nomination)
    if not include_pdf:
        return docx, None
    from .pdf import nomination_pdf  # noqa: PLC0415 — WeasyPrint takes a second to import; only PDF work pays it

    return docx, nomination_pdf(nomination)


def _render_by_pk(pk, include_pdf):
    nomination = (
        Nomination.objects.select_related("campaign", "category", "unit", "rendered_pdf")
        .prefetch_related("photos", "category__fields")
        .get(pk=pk)
    )
    return _render(nomination, include_pdf)


def _rendered(nominations, include_pdf, workers):
    """(nomination, (docx, pdf)) in order; rendered here, or by a pool of processes."""
    if workers <= 1 or len(nominations) < 2 * workers:
        for nomination in nominations:
            yield nomination, _render(nomination, include_pdf)
        return

    connections.close_all()  # each process opens its own; none may share this one's socket
    window = deque()
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        for nomination in nominations:
            window.append((nomination, pool.submit(_render_by_pk, nomination.pk, include_pdf)))
            if len(window) >= 4 * workers:  # bounded: finished forms wait in memory
                done, future = window.popleft()
                yield done, future.result()
        while window:
            done, future = window.popleft()
            yield done, future.result()


def _entry(nomination, folder, files):
    return {
        "uid": str(nomination.uid),
        "category": nomination.category.key,
        "unit": {"code": nomination.unit.code, "name": nomination.unit.name},
        "status": nomination.status,
        "name": nomination.name,
        "values": nomination.values,
        "folder": folder,
        "files": files,
    }


class _Writer:
    """Puts files into the archive and describes them for the manifest.

    Hashing (SHA-256) and writing (CRC-32 and the disk) each release the GIL, so the hash is
    computed in a second thread while the file is written: a package is gigabytes of photos, and
    doing the two one after the other took most of the time it took to build.
    """

    def __init__(self, archive, hashing):
        self.archive = archive
        self.hashing = hashing

    def put(self, name, role, data: bytes) -> dict:
        digest = self.hashing.submit(hashlib.sha256, data)
        self.archive.writestr(name, data)
        return {
            "path": name,
            "role": role,
            "size": len(data),
            "sha256": digest.result().hexdigest(),
        }


def _contents(file) -> bytes:
    """A stored upload, whole: photos are at most a few MB, the stamped PDF tens."""
    with file.open("rb") as source:
        return source.read()


class _Folders:
    """``类别/推荐单位-名称/``, made safe for every file system and unique within the package."""

    def __init__(self):
        self.taken = set()

    def claim(self, nomination) -> str:
        base = f"{safe_name(nomination.category.name)}/" + safe_name(
            f"{nomination.unit.name}-{nomination.name or '未命名'}"
        )
        folder, number = base, 1
        while folder in self.taken:
            number += 1
            folder = f"{base}-{number}"
        self.taken.add(folder)
        return folder + "/"


def safe_name(text: str, limit=80) -> str:
    text = re.sub(r'[\x00-\x1f<>:"/\\|?*]', "_", text).strip(" .")
    return text[:limit] or "_"


# Reading ---------------------------------------------------------------------------------------


@dataclass
class Package:
    manifest: dict
    archive: zipfile.ZipFile

    def read(self, path) -> bytes:
        return self.archive.read(path)

    def close(self):
        self.archive.close()


def read_package(source) -> Package:
    """Open and verify a package completely before anything is imported from it."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        raise PackageError("不是有效的推报包（zip 文件无法打开，可能不完整或已损坏）。") from None
    try:
        infos = _check_entries(archive)
        manifest = _manifest(archive, infos)
        _check_files(archive, infos, manifest)
    except BaseException:
        archive.close()
        raise
    return Package(manifest, archive)


def _check_entries(archive) -> dict:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"推报包内文件过多（超过{MAX_ENTRIES}个）。")
    by_name = {}
    for info in infos:
        name = info.filename
        path = PurePosixPath(name)
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or re.match(r"^[A-Za-z]:", name)
            or ".." in path.parts
            or "\x00" in name
        ):
            raise PackageError(f"推报包内的路径“{name}”不安全（绝对路径或含“..”），已拒绝。")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise PackageError(f"推报包内的“{name}”是符号链接，已拒绝。")
        if info.is_dir():
            continue
        if name in by_name:
            raise PackageError(f"推报包内的“{name}”重复出现。")
        if info.file_size > MAX_RATIO_FLOOR and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise PackageError(f"推报包内的“{name}”压缩比异常（疑似压缩炸弹），已拒绝。")
        by_name[name] = info
    return by_name


def _manifest(archive, infos) -> dict:
    info = infos.get(MANIFEST)
    if info is None:
        raise PackageError("推报包缺少 manifest.json。")
    if info.file_size > MAX_MANIFEST_BYTES:
        raise PackageError("manifest.json 过大。")
    try:
        manifest = json.loads(_read_exactly(archive, info))
    except (ValueError, UnicodeDecodeError):
        raise PackageError("manifest.json 不是有效的 JSON。") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackageError("manifest.json 不是推选系统的推报包清单。")
    if manifest.get("version") != VERSION:
        raise PackageError(f"推报包版本“{manifest.get('version')}”不受支持（应为{VERSION}）。")
    nominations = manifest.get("nominations")
    if not isinstance(nominations, list) or not all(isinstance(n, dict) for n in nominations):
        raise PackageError("manifest.json 缺少推荐清单（nominations）。")
    return manifest


def _listed(manifest):
    summary = manifest.get("summary")
    if isinstance(summary, dict):
        yield summary
    for nomination in manifest["nominations"]:
        files = nomination.get("files")
        if not isinstance(files, list):
            raise PackageError(f"推荐“{nomination.get('name', '')}”的文件清单有误。")
        yield from files


def _check_files(archive, infos, manifest):
    """Every listed file is there with its size and hash; nothing else is in the archive."""
    listed = set()
    for item in _listed(manifest):
        path = item.get("path") if isinstance(item, dict) else None
        info = infos.get(path)
        if info is None:
            raise PackageError(f"清单中的文件“{path}”不在推报包内。")
        if info.file_size != item.get("size"):
            raise PackageError(f"文件“{path}”的大小与清单不符，推报包可能被改动。")
        digest = hashlib.sha256(_read_exactly(archive, info)).hexdigest()
        if digest != item.get("sha256"):
            raise PackageError(f"文件“{path}”的校验值（SHA-256）与清单不符，推报包可能被改动。")
        listed.add(path)
    extra = sorted(set(infos) - listed - {MANIFEST})
    if extra:
        raise PackageError(f"推报包内有清单以外的文件“{extra[0]}”，已拒绝。")


def _read_exactly(archive, info) -> bytes:
    """Read an entry, never more than it declares (a lying header cannot inflate it further)."""
    buffer = io.BytesIO()
    try:
        with archive.open(info) as entry:
            while chunk := entry.read(CHUNK):
                buffer.write(chunk)
                if buffer.tell() > info.file_size:
                    raise PackageError(f"文件“{info.filename}”的实际大小超过声明，已拒绝。")
    except (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile):
        raise PackageError(f"文件“{info.filename}”已损坏或不完整。") from None
    return buffer.getvalue()
