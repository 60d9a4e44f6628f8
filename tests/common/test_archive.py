"""The one safe-archive reader: each check once, against real zip files built here.

The backup (tests/common/test_backup.py) and the forwarding package (tests/documents/
test_package.py) each show through their own callers that they now refuse what only the other
refused before.
"""

import hashlib
import json
import stat
import warnings
import zipfile

import pytest

from tuixuan.common.archive import MANIFEST, Limits, Listed, open_archive
from tuixuan.common.exceptions import Refused

LIMITS = Limits(members=10, member_bytes=4 * 1024 * 1024, total_bytes=6 * 1024 * 1024)


def listing(files: dict) -> list:
    return [
        {"path": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
        for name, data in files.items()
    ]


def build(path, files: dict, *, manifest=None, extra=(), compression=zipfile.ZIP_STORED):
    """A zip of ``files`` and a manifest listing them (or ``manifest``), then ``extra`` entries
    as (ZipInfo or name, data) written as they are."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a duplicate name
        with zipfile.ZipFile(path, "w", compression) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
            for info, data in extra:
                archive.writestr(info, data)
            listed = listing(files) if manifest is None else manifest
            archive.writestr(MANIFEST, json.dumps({"files": listed}))
    return path


def verified(path, limits=LIMITS):
    """Open and verify the archive as a caller does; return what it read."""
    with open_archive(path, noun="测试包", limits=limits) as archive:
        files = archive.manifest()["files"]
        archive.verify(Listed(f["path"], f["size"], f["sha256"]) for f in files)
        return {f["path"]: archive.read(f["path"]) for f in files}


def test_a_sound_archive_is_read(tmp_path):
    files = {"a/照片1.jpg": b"\xff\xd8photo", "汇总表.xlsx": b"PK table"}
    assert verified(build(tmp_path / "ok.zip", files)) == files


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../evil", "含“.”或“..”"),
        ("a/../../evil", "含“.”或“..”"),
        ("/etc/passwd", "是绝对路径"),
        ("\\evil", "是绝对路径"),
        ("a\\b", "含反斜杠"),
        ("C:/evil", "是绝对路径"),
        ("./a", "含“.”或“..”"),
        ("a//b", "含空的路径段"),
    ],
)
def test_a_path_that_could_escape_or_is_ambiguous_is_refused_saying_why(tmp_path, name, why):
    path = build(tmp_path / "p.zip", {"a": b"x"}, extra=[(zipfile.ZipInfo(name), b"x")])
    with pytest.raises(Refused, match=r"不安全") as refused:
        verified(path)
    assert why in refused.value.message


def test_a_symlink_is_refused(tmp_path):
    link = zipfile.ZipInfo("a/link")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path = build(tmp_path / "p.zip", {"a/b": b"x"}, extra=[(link, "/etc/passwd")])
    with pytest.raises(Refused, match=r"符号链接"):
        verified(path)


def test_a_special_file_is_refused(tmp_path):
    fifo = zipfile.ZipInfo("a/pipe")
    fifo.external_attr = (stat.S_IFIFO | 0o644) << 16
    path = build(tmp_path / "p.zip", {"a/b": b"x"}, extra=[(fifo, b"")])
    with pytest.raises(Refused, match=r"不是普通文件"):
        verified(path)


def test_a_name_twice_in_the_archive_is_refused(tmp_path):
    path = build(tmp_path / "p.zip", {"a": b"x"}, extra=[("a", b"y")])
    with pytest.raises(Refused, match=r"“a”重复出现"):
        verified(path)


def test_a_path_twice_in_the_manifest_is_refused(tmp_path):
    files = {"a": b"x"}
    path = build(tmp_path / "p.zip", files, manifest=listing(files) * 2)
    with pytest.raises(Refused, match=r"manifest.json 中的文件“a”重复出现"):
        verified(path)


def test_too_many_entries_are_refused(tmp_path):
    files = {f"f{n}": b"x" for n in range(LIMITS.members)}  # and the manifest: one too many
    with pytest.raises(Refused, match=r"文件过多（超过10个）"):
        verified(build(tmp_path / "p.zip", files))


def test_an_oversized_entry_is_refused(tmp_path):
    files = {"big.bin": bytes(range(256)) * (LIMITS.member_bytes // 256 + 1)}
    with pytest.raises(Refused, match=r"“big.bin”解压后为4.0 MB，超过单个文件上限4.0 MB"):
        verified(build(tmp_path / "p.zip", files))


def test_entries_too_large_together_are_refused(tmp_path):
    chunk = bytes(range(256)) * (3 * 1024 * 1024 // 256)
    files = {"one.bin": chunk, "two.bin": chunk}
    with pytest.raises(Refused, match=r"解压后共6.0 MB，超过上限6.0 MB"):
        verified(build(tmp_path / "p.zip", files))


def test_an_entry_that_inflates_too_far_is_refused_before_it_is_inflated(tmp_path):
    files = {"bomb.bin": b"\0" * (3 * 1024 * 1024)}
    path = build(tmp_path / "p.zip", files, compression=zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 64 * 1024
    with pytest.raises(Refused, match=r"“bomb.bin”压缩比异常（疑似压缩炸弹）"):
        verified(path)


def test_a_small_entry_may_compress_well(tmp_path):
    files = {"blank.txt": b" " * (512 * 1024)}
    path = build(tmp_path / "p.zip", files, compression=zipfile.ZIP_DEFLATED)
    assert verified(path) == files


def test_a_file_not_in_the_manifest_is_refused(tmp_path):
    files = {"a": b"x"}
    path = build(tmp_path / "p.zip", files, extra=[("smuggled.exe", b"MZ")])
    with pytest.raises(Refused, match=r"清单以外的文件“smuggled.exe”"):
        verified(path)


def test_a_listed_file_missing_from_the_archive_is_refused(tmp_path):
    listed = listing({"a": b"x", "gone": b"y"})
    path = build(tmp_path / "p.zip", {"a": b"x"}, manifest=listed)
    with pytest.raises(Refused, match=r"清单中的文件“gone”不在测试包内"):
        verified(path)


def test_a_hash_that_does_not_match_is_refused(tmp_path):
    listed = listing({"a": b"x"})
    listed[0]["sha256"] = hashlib.sha256(b"y").hexdigest()
    path = build(tmp_path / "p.zip", {"a": b"x"}, manifest=listed)
    with pytest.raises(Refused, match=r"“a”的校验值（SHA-256）与清单不符"):
        verified(path)


def test_a_size_that_does_not_match_is_refused(tmp_path):
    listed = listing({"a": b"x"})
    listed[0]["size"] = 2
    path = build(tmp_path / "p.zip", {"a": b"x"}, manifest=listed)
    with pytest.raises(Refused, match=r"“a”的大小与清单不符"):
        verified(path)


def test_a_missing_or_broken_manifest_is_refused(tmp_path):
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a", b"x")
    with pytest.raises(Refused, match=r"测试包缺少 manifest.json"):
        verified(path)
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr(MANIFEST, b"{not json")
    with pytest.raises(Refused, match=r"manifest.json 不是有效的 JSON"):
        verified(path)


def test_what_is_not_a_zip_is_refused_by_name(tmp_path):
    path = tmp_path / "p.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(Refused, match=r"测试包的 zip 文件无法打开"):
        verified(path)
    with pytest.raises(Refused, match=r"测试包文件“.*nowhere.zip”不存在"):
        verified(tmp_path / "nowhere.zip")


def test_an_encrypted_entry_is_refused(tmp_path):
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("a/secret", b"x")
        archive.getinfo("a/secret").flag_bits |= 0x1  # the central directory says: encrypted
    with pytest.raises(Refused, match=r"“a/secret”已加密"):
        verified(path)
