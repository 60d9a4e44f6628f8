"""The forwarding package: one zip that carries the chosen nominations to the level above.

Inside: ``类别/推荐单位-名称/`` per nomination with its Word form, its PDF form, the stamped PDF and
the photos; ``汇总表.xlsx``; and ``manifest.json``, which the level above imports
(``manage.py import_package``). The manifest names every file with its SHA-256, so a package that
was altered, cut short or padded is refused; so is one whose paths could escape the folder it is
unpacked into, one with links, and one that would inflate far beyond its size (a zip bomb): the
checks of ``common.archive``, the same as for a backup.
"""

import hashlib
import json
import multiprocessing
import re
import zipfile
from collections import deque
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass

from django.db import connections
from django.utils import timezone

from tuixuan.common.archive import GIB, MANIFEST, MIB, Limits, Listed, SafeArchive, open_archive
from tuixuan.common.exceptions import Refused
from tuixuan.nominations.models import Nomination

from .docx import nomination_docx
from .xlsx import summary_workbook

FORMAT = "tuixuan-package"
VERSION = 1
SUMMARY = "汇总表.xlsx"
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png"}


# Building --------------------------------------------------------------------------------------


def build_package(
    campaign, nominations, out, *, include_pdf=True, progress=None, workers=1, statuses=None
):
    """Write the package for ``nominations`` (of ``campaign``) to ``out`` (a path or binary file).

    ``progress(done, total)`` is called after each nomination; ``statuses`` (those chosen) is
    named on the summary workbook's 说明 sheet. With ``workers`` > 1 the forms are
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
        summary = put(
            SUMMARY, "summary", summary_workbook(campaign, nominations, statuses=statuses)
        )
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

LIMITS = Limits(members=50_000, member_bytes=512 * MIB, total_bytes=64 * GIB)


@dataclass
class Package:
    manifest: dict
    archive: SafeArchive

    def read(self, path) -> bytes:
        return self.archive.read(path)

    def close(self):
        self.archive.close()


def read_package(source) -> Package:
    """Open and verify a package completely before anything is imported from it.

    The archive checks are ``common.archive``'s, shared with the backup; ``Refused`` says why.
    """
    archive = open_archive(source, noun="推报包", limits=LIMITS)
    try:
        manifest = _manifest(archive)
        archive.verify(_listed(manifest))
    except BaseException:
        archive.close()
        raise
    return Package(manifest, archive)


def _manifest(archive) -> dict:
    manifest = archive.manifest()
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise Refused("manifest.json 不是推选系统的推报包清单。")
    if manifest.get("version") != VERSION:
        raise Refused(f"推报包版本“{manifest.get('version')}”不受支持（应为{VERSION}）。")
    nominations = manifest.get("nominations")
    if not isinstance(nominations, list) or not all(isinstance(n, dict) for n in nominations):
        raise Refused("manifest.json 缺少推荐清单（nominations）。")
    return manifest


def _listed(manifest):
    summary = manifest.get("summary")
    if isinstance(summary, dict):
        yield _as_listed(summary)
    for nomination in manifest["nominations"]:
        files = nomination.get("files")
        if not isinstance(files, list):
            raise Refused(f"推荐“{nomination.get('name', '')}”的文件清单有误。")
        yield from (_as_listed(item) for item in files)


def _as_listed(item) -> Listed:
    if not isinstance(item, dict) or not isinstance(item.get("path"), str):
        raise Refused("manifest.json 中有文件缺少路径（path）。")
    return Listed(item["path"], item.get("size"), item.get("sha256"))
