"""Copy every stored file from one storage to the other (``manage.py move_media``).

A deployment that outgrows one machine moves its files from the local disk into an
S3-compatible bucket (or back). The copy must lose nothing and be safe to repeat:

* every file is read in chunks and hashed as it is read; after writing, the copy is read back from
  the target and must have the same SHA-256, or it is deleted and reported;
* a file already in the target with the same SHA-256 is skipped, so a run that was stopped half
  way (Ctrl-C, a lost connection, a killed process) finishes the job when started again;
* a file the target holds under the same name with different content is never overwritten —
  except the one case an interrupted run leaves behind on a local disk: a copy cut short, whose
  bytes are exactly the start of the source file; that is removed and copied again;
* the health check's probe files are not data and are left out.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files import File

from .archive import unsafe_path
from .exceptions import Refused
from .health import PROBE_FOLDER
from .storage import CHUNK, HashingReader, open_stream, sha256, walk

PROGRESS_EVERY = 100


@dataclass
class Summary:
    total: int = 0
    copied: int = 0
    same: int = 0  # already in the target with the same hash
    resumed: int = 0  # a copy cut short by an earlier run, copied again
    bytes_copied: int = 0
    problems: list = field(default_factory=list)  # (name, why), nothing overwritten

    def line(self) -> str:
        return (
            f"共{self.total}个文件：新复制{self.copied}个（{self.bytes_copied / 1048576:.1f} MB，"
            f"其中续传{self.resumed}个），目标中已有且相同而跳过{self.same}个，"
            f"未能复制{len(self.problems)}个。"
        )


def move_media(source, target, *, report: Callable[[str], object] = print) -> Summary:
    """Copy every file of ``source`` into ``target``; ``report`` receives progress lines."""
    names = [name for name in walk(source) if not name.startswith(PROBE_FOLDER + "/")]
    summary = Summary(total=len(names))
    report(f"源存储中有{summary.total}个文件。")
    for number, name in enumerate(names, start=1):
        try:
            _move_one(source, target, name, summary)
        except FileNotFoundError:
            summary.problems.append((name, "复制时源文件已不存在"))
        except Refused as refused:
            summary.problems.append((name, refused.for_people))
        if number % PROGRESS_EVERY == 0 or number == summary.total:
            report(
                f"进度 {number}/{summary.total}：新复制{summary.copied}个，"
                f"跳过{summary.same}个，未能复制{len(summary.problems)}个。"
            )
    return summary


def _move_one(source, target, name, summary):
    if why := unsafe_path(name):
        raise Refused(f"文件名{why}")
    if target.exists(name):
        wanted, size = sha256(source, name)
        found, found_size = sha256(target, name)
        if found == wanted:
            summary.same += 1
            return
        if not (found_size < size and _prefix_sha256(source, name, found_size) == found):
            raise Refused("目标中已有同名而内容不同的文件，未覆盖")
        target.delete(name)  # an earlier run's copy, cut short
        summary.resumed += 1
    with open_stream(source, name) as stream:
        reader = HashingReader(stream)
        stored = target.save(name, File(reader, name=name))
    if stored != name:  # the name was taken meanwhile: the storage chose another
        target.delete(stored)
        raise Refused("目标中同时出现了同名文件，未覆盖")
    copied, _size = sha256(target, name)
    if copied != reader.digest.hexdigest():
        target.delete(name)
        raise Refused("写入后读回的 SHA-256 与源文件不符，已删除该副本")
    summary.copied += 1
    summary.bytes_copied += reader.size


def _prefix_sha256(storage, name, length) -> str:
    digest, left = hashlib.sha256(), length
    with open_stream(storage, name) as stream:
        while left and (chunk := stream.read(min(CHUNK, left))):
            digest.update(chunk)
            left -= len(chunk)
    return digest.hexdigest()
