"""Reading a zip archive someone else wrote: a backup to restore, a forwarding package to import.

Both are zips with a ``manifest.json`` naming every file with its size and SHA-256, and both are
refused whole, before anything is taken out of them, when any of these fails:

* **paths**: none absolute (``/``, ``\\``, ``C:``), none with ``..`` or ``.`` or an empty part
  (``a//b``), no backslash and no NUL, so no member can land outside the folder it is unpacked into;
* **links**: no symbolic link and no special file (device, FIFO); only files and folders;
* **duplicates**: no name twice in the archive, and no path twice in the manifest;
* **sizes**: at most ``limits.members`` entries, none larger than ``limits.member_bytes``
  uncompressed, all together at most ``limits.total_bytes``; an entry that inflates beyond what its
  header declares is cut off there and refused;
* **ratio**: no entry over ``limits.ratio_floor`` bytes inflating more than ``limits.ratio`` times
  its compressed size (a zip bomb), judged from the headers before anything is inflated;
* **encryption**: no encrypted entry (neither writer encrypts, and it could not be verified);
* **manifest and hashes**: the manifest is present, at most ``limits.manifest_bytes`` and valid
  JSON; every file it lists is in the archive with that size and SHA-256; nothing else is.

Until this module, the backup and the package reader each had their own copy of these checks and
they had drifted apart (the package reader let ``./`` paths and a manifest listing one file twice
through; the backup had no ratio or count limit). Each check here is the stricter of the two.
"""

import hashlib
import io
import json
import re
import stat
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .exceptions import Refused

MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
MIB = 1024 * 1024
GIB = 1024 * MIB
_DRIVE = re.compile(r"^[A-Za-z]:")
_READ_ERRORS = (zipfile.BadZipFile, EOFError, OSError, zipfile.LargeZipFile, ValueError)


@dataclass(frozen=True)
class Limits:
    """How large an archive of one kind may be; each caller names its own."""

    members: int
    member_bytes: int
    total_bytes: int
    manifest_bytes: int = 64 * MIB
    ratio: int = 200  # uncompressed ÷ compressed
    ratio_floor: int = MIB  # smaller entries may compress as well as they like


@dataclass(frozen=True)
class Listed:
    """One file as the manifest describes it."""

    path: str
    size: object
    sha256: object


def unsafe_path(name: str) -> str:
    """Why a member name could escape, or not mean one place, once unpacked; "" when it is safe."""
    parts = name.split("/")
    if not name:
        return "为空"
    if name.startswith(("/", "\\")) or _DRIVE.match(name) is not None:
        return "是绝对路径"
    if "\\" in name:
        return "含反斜杠"
    if "\x00" in name:
        return "含空字符"
    if any(part in {".", ".."} for part in parts):
        return "含“.”或“..”"
    if "" in parts:
        return "含空的路径段（“//”）"
    return ""


class SafeArchive:
    """An open zip whose entries passed the path, link, duplicate, size and ratio checks.

    ``noun`` names the archive in messages (“备份”, “推报包”). Every refusal is ``Refused``.
    Use it as a context manager, or ``close()`` it.
    """

    def __init__(self, archive: zipfile.ZipFile, noun: str, limits: Limits):
        self.archive, self.noun, self.limits = archive, noun, limits
        self.members = self._checked_members()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def close(self):
        self.archive.close()

    def _checked_members(self) -> dict:
        infos = self.archive.infolist()
        noun, limits = self.noun, self.limits
        if len(infos) > limits.members:
            raise Refused(f"{noun}内文件过多（超过{limits.members}个）。")
        members, total = {}, 0
        for info in infos:
            name = info.filename
            unsafe = unsafe_path(name.removesuffix("/") if info.is_dir() else name)
            if unsafe:
                raise Refused(f"{noun}内的路径“{name}”{unsafe}，不安全，已拒绝。")
            kind = stat.S_IFMT(info.external_attr >> 16)  # 0 when the writer left it unset
            if kind == stat.S_IFLNK:
                raise Refused(f"{noun}内的“{name}”是符号链接，已拒绝。")
            if kind not in {0, stat.S_IFREG, stat.S_IFDIR}:
                raise Refused(f"{noun}内的“{name}”不是普通文件（设备或管道等），已拒绝。")
            if info.flag_bits & 0x1:
                raise Refused(f"{noun}内的“{name}”已加密，无法校验，已拒绝。")
            if info.is_dir():
                continue
            if name in members:
                raise Refused(f"{noun}内的“{name}”重复出现。")
            if info.file_size > limits.member_bytes:
                raise Refused(
                    f"{noun}内的“{name}”解压后为{_size(info.file_size)}，"
                    f"超过单个文件上限{_size(limits.member_bytes)}，已拒绝。"
                )
            if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(
                info.compress_size, 1
            ):
                raise Refused(f"{noun}内的“{name}”压缩比异常（疑似压缩炸弹），已拒绝。")
            total += info.file_size
            members[name] = info
        if total > limits.total_bytes:
            raise Refused(
                f"{noun}解压后共{_size(total)}，超过上限{_size(limits.total_bytes)}，已拒绝。"
            )
        return members

    def manifest(self):
        """The manifest's JSON, read no further than its size limit."""
        info = self.members.get(MANIFEST)
        if info is None:
            raise Refused(f"{self.noun}缺少 {MANIFEST}。")
        if info.file_size > self.limits.manifest_bytes:
            raise Refused(f"{MANIFEST} 过大。")
        try:
            return json.loads(self.read(MANIFEST))
        except (ValueError, UnicodeDecodeError):
            raise Refused(f"{MANIFEST} 不是有效的 JSON。") from None

    def verify(self, listed: Iterable[Listed]):
        """Every listed file is here, once, with its size and hash; nothing else is here."""
        seen = set()
        for item in listed:
            if item.path in seen:
                raise Refused(f"{MANIFEST} 中的文件“{item.path}”重复出现。")
            seen.add(item.path)
            info = self.members.get(item.path)
            if info is None:
                raise Refused(f"清单中的文件“{item.path}”不在{self.noun}内，{self.noun}不完整。")
            if info.file_size != item.size:
                raise Refused(f"文件“{item.path}”的大小与清单不符，{self.noun}可能被改动或不完整。")
            digest = hashlib.sha256()
            self.stream(item.path, digest.update)
            if digest.hexdigest() != item.sha256:
                raise Refused(
                    f"文件“{item.path}”的校验值（SHA-256）与清单不符，"
                    f"{self.noun}可能被改动或已损坏。"
                )
        extra = sorted(set(self.members) - seen - {MANIFEST})
        if extra:
            raise Refused(f"{self.noun}内有清单以外的文件“{extra[0]}”，已拒绝。")

    def read(self, path) -> bytes:
        """One member, whole (callers read only what they know to be small)."""
        buffer = io.BytesIO()
        self.stream(path, buffer.write)
        return buffer.getvalue()

    def stream(self, path, sink: Callable[[bytes], object]):
        """One member in chunks, never more than its header declares."""
        info = self.members[path]
        size = 0
        try:
            with self.archive.open(info) as entry:
                while chunk := entry.read(CHUNK):
                    size += len(chunk)
                    if size > info.file_size:
                        raise Refused(f"文件“{info.filename}”的实际大小超过声明，已拒绝。")
                    sink(chunk)
        except _READ_ERRORS:
            raise Refused(f"{self.noun}内的文件“{info.filename}”已损坏或不完整。") from None


def open_archive(source, *, noun: str, limits: Limits) -> SafeArchive:
    """Open ``source`` (a path or a binary file) and check its entries; ``Refused`` if unsafe."""
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise Refused(f"{noun}文件“{source}”不存在。") from None
    except _READ_ERRORS:
        raise Refused(f"{noun}的 zip 文件无法打开（不是 zip 文件，或不完整、已损坏）。") from None
    try:
        return SafeArchive(archive, noun, limits)
    except BaseException:
        archive.close()
        raise


def _size(count: int) -> str:
    return f"{count / GIB:.1f} GB" if count >= GIB else f"{count / MIB:.1f} MB"
