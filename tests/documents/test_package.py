"""The forwarding package: built, opened, verified, imported at the level above — and refused
whole when it was tampered with, cut short, or built to escape or explode."""

import hashlib
import io
import json
import stat
import zipfile

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import (
    BEFORE_DEADLINE,
    CAMPAIGNS,
    complete_nomination,
    make_member,
    make_unit,
)
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.campaigns.loader import load_campaign_file
from tuixuan.common.exceptions import Refused
from tuixuan.common.models import AuditEvent
from tuixuan.documents.importing import import_package
from tuixuan.documents.package import MANIFEST, build_package, read_package
from tuixuan.nominations import services
from tuixuan.nominations.models import Attachment, Nomination, Photo, Status
from tuixuan.units.models import Participation, RecommendingUnit, UnitKind

KEYS = ["volunteer", "organisation", "project", "service-point"]


@pytest.fixture
def twelve(gx):
    """Three units, one nomination in each category each: twelve, all submitted, with photos."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    nominations = []
    for code, name in [
        ("u1", "南宁市科学技术协会"),
        ("u2", "柳州市科学技术协会"),
        ("u3", "广西农学会"),
    ]:
        unit = make_unit(gx, code, name, UnitKind.CITY_CAST)
        member = make_member(unit)
        for key in KEYS:
            changes = {"name": f"{name[:2]}{key}"} if key != "service-point" else {}
            nomination = complete_nomination(member, gx, unit, key, **changes)
            stamped = SimpleUploadedFile("盖章.pdf", pdf_bytes(pages=2))
            services.attach_stamped_pdf(member, nomination, stamped, now=BEFORE_DEADLINE)
            services.submit(member, nomination, now=BEFORE_DEADLINE)
            nominations.append(nomination)
    return nominations


@pytest.fixture
def parent(gx, tmp_path):
    """The level above: a copy of the campaign file under another key, with Guangxi as a unit."""
    text = (CAMPAIGNS / "gx-2024.toml").read_text(encoding="utf-8")
    path = tmp_path / "national.toml"
    path.write_text(text.replace('key = "gx-2024"', 'key = "national-2024"'), encoding="utf-8")
    campaign = load_campaign_file(path)
    guangxi = RecommendingUnit.objects.create(
        code="gx-cast", name="广西壮族自治区科学技术协会", kind=UnitKind.OTHER
    )
    Participation.objects.create(campaign=campaign, unit=guangxi)
    return campaign, guangxi


def package_bytes(gx, nominations, **options) -> bytes:
    buffer = io.BytesIO()
    build_package(gx, nominations, buffer, **options)
    return buffer.getvalue()


def rewrite(data: bytes, change) -> bytes:
    """A copy of the archive with ``change(name, content)`` applied to each entry."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            result = change(info.filename, source.read(info))
            if result is not None:
                target.writestr(info.filename, result)
    return out.getvalue()


def test_the_package_holds_each_nominations_forms_stamped_pdf_and_photos_in_its_folder(gx, twelve):
    data = package_bytes(gx, twelve[:2], include_pdf=False)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    folder = "最美科技志愿者/南宁市科学技术协会-南宁volunteer/"
    assert f"{folder}推荐表.docx" in names
    assert f"{folder}盖章扫描件.pdf" in names
    assert {f"{folder}照片1.jpg", f"{folder}照片2.jpg"} <= set(names)
    assert "汇总表.xlsx" in names and MANIFEST in names
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read(MANIFEST))
    assert manifest["campaign"]["key"] == "gx-2024"
    first = manifest["nominations"][0]
    assert first["category"] == "volunteer" and first["values"] == twelve[0].values
    photo = next(f for f in first["files"] if f["role"] == "photo")
    content = zipfile.ZipFile(io.BytesIO(data)).read(photo["path"])
    assert photo["sha256"] == hashlib.sha256(content).hexdigest()
    assert photo["sha256"] == twelve[0].photos.first().sha256


def test_twelve_nominations_round_trip_into_the_parent_campaign(gx, twelve, parent, tmp_path):
    campaign, guangxi = parent
    path = tmp_path / "推报包.zip"
    path.write_bytes(package_bytes(gx, twelve, include_pdf=False))

    created = import_package(path, campaign=campaign, unit=guangxi)

    assert len(created) == 12
    imported = Nomination.objects.filter(campaign=campaign).order_by("pk")
    assert [n.status for n in imported] == [Status.SUBMITTED] * 12
    assert {n.unit for n in imported} == {guangxi}
    for original, copy in zip(twelve, imported, strict=True):
        assert copy.category.key == original.category.key
        assert copy.values == original.values
        assert copy.name == original.name
        assert [p.sha256 for p in copy.photos.all()] == [p.sha256 for p in original.photos.all()]
        assert copy.attachments.get().sha256 == original.attachments.get().sha256
        with copy.photos.first().file.open("rb") as stored:
            assert hashlib.sha256(stored.read()).hexdigest() == copy.photos.first().sha256
    event = AuditEvent.objects.filter(action="nomination.import").first()
    assert event.data["source_campaign"] == "gx-2024"
    assert event.data["source_uid"] == str(twelve[0].uid)


def test_the_import_command_reports_what_it_did(gx, twelve, parent, tmp_path):
    campaign, guangxi = parent
    path = tmp_path / "p.zip"
    path.write_bytes(package_bytes(gx, twelve[:4], include_pdf=False))
    out = io.StringIO()
    call_command(
        "import_package", str(path), "--into", campaign.key, "--as-unit", guangxi.code, stdout=out
    )
    assert "已导入4个推荐" in out.getvalue()


def test_the_level_above_quota_applies_to_the_import(gx, twelve, parent, tmp_path):
    campaign, guangxi = parent
    campaign.quota_per_unit = 2
    campaign.save()
    path = tmp_path / "p.zip"
    path.write_bytes(package_bytes(gx, twelve, include_pdf=False))
    with pytest.raises(Refused) as refused:
        import_package(path, campaign=campaign, unit=guangxi)
    assert refused.value.for_people.startswith("【G1】“最美科技志愿者”每个单位不超过2个")
    assert not Nomination.objects.filter(campaign=campaign).exists()


def _refused_and_nothing_written(path, parent, message, media_root):
    campaign, guangxi = parent
    photos, attachments = Photo.objects.count(), Attachment.objects.count()
    files = sorted(p for p in media_root.rglob("*") if p.is_file())
    with pytest.raises(Refused, match=message):
        import_package(path, campaign=campaign, unit=guangxi)
    assert not Nomination.objects.filter(campaign=campaign).exists()
    assert (Photo.objects.count(), Attachment.objects.count()) == (photos, attachments)
    assert sorted(p for p in media_root.rglob("*") if p.is_file()) == files


def test_a_photo_changed_after_packaging_is_refused(gx, twelve, parent, tmp_path, media_root):
    def change(name, content):
        return (
            content[:-10] + b"\0" * 10
            if name.endswith("照片2.jpg") and "南宁volunteer" in name
            else content
        )

    path = tmp_path / "p.zip"
    path.write_bytes(rewrite(package_bytes(gx, twelve, include_pdf=False), change))
    _refused_and_nothing_written(path, parent, "校验值（SHA-256）与清单不符", media_root)


def test_a_manifest_edited_to_change_a_value_is_refused_by_the_hashes_it_still_carries(
    gx, twelve, parent, tmp_path, media_root
):
    def change(name, content):
        if name == MANIFEST:
            manifest = json.loads(content)
            manifest["nominations"][0]["files"][0]["sha256"] = "0" * 64
            return json.dumps(manifest, ensure_ascii=False).encode()
        return content

    path = tmp_path / "p.zip"
    path.write_bytes(rewrite(package_bytes(gx, twelve[:3], include_pdf=False), change))
    _refused_and_nothing_written(path, parent, "校验值", media_root)


def test_a_file_missing_from_the_package_is_refused(gx, twelve, parent, tmp_path, media_root):
    path = tmp_path / "p.zip"
    data = package_bytes(gx, twelve[:3], include_pdf=False)
    path.write_bytes(
        rewrite(data, lambda name, content: None if name.endswith("盖章扫描件.pdf") else content)
    )
    _refused_and_nothing_written(path, parent, "不在推报包内", media_root)


def test_a_file_smuggled_into_the_package_is_refused(gx, twelve, parent, tmp_path, media_root):
    data = package_bytes(gx, twelve[:2], include_pdf=False)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("最美科技志愿者/readme.exe", b"MZ")
    path = tmp_path / "p.zip"
    path.write_bytes(buffer.getvalue())
    _refused_and_nothing_written(path, parent, "清单以外的文件", media_root)


def test_a_truncated_package_is_refused(gx, twelve, parent, tmp_path, media_root):
    data = package_bytes(gx, twelve[:3], include_pdf=False)
    path = tmp_path / "p.zip"
    path.write_bytes(data[: len(data) // 2])
    _refused_and_nothing_written(path, parent, "zip 文件无法打开", media_root)


@pytest.mark.parametrize(
    "name", ["../../etc/cron.d/evil", "/etc/passwd", "C:/Windows/evil.dll", "a\\..\\b"]
)
def test_a_path_that_could_escape_the_folder_is_refused(
    gx, twelve, parent, tmp_path, media_root, name
):
    data = package_bytes(gx, twelve[:1], include_pdf=False)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr(zipfile.ZipInfo(name), b"x")
    path = tmp_path / "p.zip"
    path.write_bytes(buffer.getvalue())
    _refused_and_nothing_written(path, parent, "不安全", media_root)


def test_a_symlink_in_the_package_is_refused(gx, twelve, parent, tmp_path, media_root):
    data = package_bytes(gx, twelve[:1], include_pdf=False)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a") as archive:
        link = zipfile.ZipInfo("最美科技志愿者/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    path = tmp_path / "p.zip"
    path.write_bytes(buffer.getvalue())
    _refused_and_nothing_written(path, parent, "符号链接", media_root)


def test_a_zip_bomb_is_refused_before_it_is_inflated(gx, twelve, parent, tmp_path, media_root):
    data = package_bytes(gx, twelve[:1], include_pdf=False)
    buffer = io.BytesIO(data)
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.bin", b"\0" * (200 * 1024 * 1024))
    path = tmp_path / "p.zip"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 2 * 1024 * 1024 + len(data)
    _refused_and_nothing_written(path, parent, "压缩炸弹", media_root)


def test_a_package_whose_category_the_level_above_lacks_is_refused(
    gx, twelve, tmp_path, media_root
):
    campaign = load_campaign_file(CAMPAIGNS / "csj-2025-example.toml")  # no service-point category
    unit = RecommendingUnit.objects.create(code="gx-cast", name="广西科协", kind=UnitKind.OTHER)
    Participation.objects.create(campaign=campaign, unit=unit)
    path = tmp_path / "p.zip"
    path.write_bytes(package_bytes(gx, twelve[:4], include_pdf=False))
    _refused_and_nothing_written(
        path, (campaign, unit), "本活动没有类别“service-point”", media_root
    )


def test_a_unit_not_taking_part_above_cannot_import(gx, twelve, parent, tmp_path):
    campaign, guangxi = parent
    Participation.objects.filter(unit=guangxi).delete()
    path = tmp_path / "p.zip"
    path.write_bytes(package_bytes(gx, twelve[:1], include_pdf=False))
    with pytest.raises(Refused, match="不在活动"):
        import_package(path, campaign=campaign, unit=guangxi)


def test_the_import_command_refuses_clearly(gx, parent, tmp_path):
    campaign, guangxi = parent
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="推报包未导入"):
        call_command("import_package", str(bad), "--into", campaign.key, "--as-unit", guangxi.code)
    with pytest.raises(CommandError, match="活动“nowhere”不存在"):
        call_command("import_package", str(bad), "--into", "nowhere", "--as-unit", guangxi.code)


def test_reading_a_good_package_reports_its_manifest(gx, twelve):
    package = read_package(io.BytesIO(package_bytes(gx, twelve[:2], include_pdf=False)))
    try:
        assert [n["name"] for n in package.manifest["nominations"]] == [t.name for t in twelve[:2]]
    finally:
        package.close()


def test_packaging_reads_the_same_queries_for_one_nomination_or_three(gx, unit, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tuixuan.documents.package import exported

    for seed in range(3):
        nomination = complete_nomination(member, gx, unit, "project", name=f"项目{seed}")
        services.submit(member, nomination, now=BEFORE_DEADLINE)

    def queries(count):
        chosen = exported(gx, [Status.SUBMITTED])[:count]
        build_package(gx, chosen, io.BytesIO())  # renders and keeps the PDF forms
        with CaptureQueriesContext(connection) as captured:
            build_package(gx, exported(gx, [Status.SUBMITTED])[:count], io.BytesIO())
        return len(captured)

    assert queries(1) == queries(3)  # kept PDFs, photos, rules: read for all at once


def test_a_package_listing_one_photo_twice_is_refused_as_a_backup_would_be(
    gx, twelve, parent, tmp_path, media_root
):
    """Drift fixed: the package reader used to accept a manifest listing the same file twice (and
    imported that photo twice); the backup refused it. Both now use common.archive."""

    def twice(name, content):
        if name != MANIFEST:
            return content
        manifest = json.loads(content)
        files = manifest["nominations"][0]["files"]
        files.append(next(item for item in files if item["role"] == "photo"))
        return json.dumps(manifest, ensure_ascii=False).encode()

    path = tmp_path / "p.zip"
    path.write_bytes(rewrite(package_bytes(gx, twelve[:1], include_pdf=False), twice))
    _refused_and_nothing_written(
        path, parent, r"manifest.json 中的文件“.*照片1.jpg”重复出现", media_root
    )
