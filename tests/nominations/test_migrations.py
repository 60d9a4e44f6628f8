"""Upgrading a database whose photos were uploaded before form copies existed."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from PIL import Image

from tests.fixtures.images import camera_jpeg

BEFORE = ("nominations", "0003_nomination_nominations_campaig_730e76_idx")


@pytest.mark.django_db(transaction=True)
def test_photos_uploaded_before_the_upgrade_get_their_form_copy(gx, unit, member):
    from tests.conftest import complete_nomination

    nomination = complete_nomination(member, gx, unit, "project", photos=0)
    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    try:
        OldPhoto = executor.loader.project_state([BEFORE]).apps.get_model("nominations", "Photo")

        def old_photo(**fields):
            return OldPhoto(
                nomination_id=nomination.pk, content_type="image/jpeg", size=1, sha256="0" * 64,
                **fields,
            )  # fmt: skip

        photo = old_photo(width=1600, height=1200)
        photo.file.save("old.jpg", ContentFile(camera_jpeg((1600, 1200))), save=False)
        photo.save()
        lost = old_photo(width=1, height=1, file="photos/gone.jpg")  # file missing: goes on
        lost.save()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    from tuixuan.nominations.models import Photo

    upgraded = Photo.objects.get(pk=photo.pk)
    with upgraded.form_copy.open("rb") as copy, Image.open(copy) as image:
        assert image.size == (1280, 960)
    assert not Photo.objects.get(pk=lost.pk).form_copy

    copy_name = upgraded.form_copy.name
    executor = MigrationExecutor(connection)
    executor.migrate([("nominations", "0004_photo_form_copy")])  # undoing the upgrade
    try:
        assert not upgraded.form_copy.storage.exists(copy_name)  # no copy left without its row
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())


# The service point's name read again into its levels (0006) --------------------------------------

PINGYANG = {
    "province": "广西壮族自治区",
    "city": "南宁市",
    "county": "武鸣区",
    "street": "城厢镇",
    "community": "平阳社区",
}
OLD_SHAPES = {
    # as the old form stored it: the 市 box's word shown but not stored
    "typed before 市": ({**PINGYANG, "city": "南宁"}, PINGYANG),
    "one line": ("广西壮族自治区南宁市武鸣区城厢镇平阳社区", PINGYANG),
    "all in one box": ({"province": "广西壮族自治区 南宁市武鸣区城厢镇平阳社区"}, PINGYANG),
    # 武鸣: 县 or 区? not guessed, kept for the clerk (the 市 still added)
    "no 县 or 区": ({**PINGYANG, "city": "南宁", "county": "武鸣"}, {**PINGYANG, "county": "武鸣"}),
    "one line that does not split": ("南宁武鸣平阳", "南宁武鸣平阳"),
    "自治州 at the 市 level": (
        {**PINGYANG, "city": "恩施土家族苗族自治州"},  # no 市 added after it
        {**PINGYANG, "city": "恩施土家族苗族自治州"},
    ),
}


@pytest.mark.django_db(transaction=True)
def test_service_point_names_stored_before_the_template_are_read_again(gx, unit, member, client):
    from tests.conftest import complete_nomination
    from tuixuan.nominations.models import Nomination

    drafts = {
        shape: complete_nomination(member, gx, unit, "service-point", photos=0)
        for shape in OLD_SHAPES
    }
    executor = MigrationExecutor(connection)
    executor.migrate([("nominations", "0005_make_form_copies")])
    try:
        state = executor.loader.project_state([("nominations", "0005_make_form_copies")])
        OldNomination = state.apps.get_model("nominations", "Nomination")
        for shape, (old, _new) in OLD_SHAPES.items():
            nomination = OldNomination.objects.get(pk=drafts[shape].pk)
            nomination.values["name"] = old
            nomination.name = "".join(old.values()) if isinstance(old, dict) else old
            nomination.save()
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes())

    for shape, (_old, new) in OLD_SHAPES.items():
        upgraded = Nomination.objects.get(pk=drafts[shape].pk)
        assert upgraded.values["name"] == new, shape
        assert upgraded.name == ("".join(new.values()) if isinstance(new, dict) else new), shape
    assert Nomination.objects.get(pk=drafts["typed before 市"].pk).normalised_name

    client.force_login(member)
    unsure = drafts["no 县 or 区"].uid
    page = client.get(f"/n/{unsure}/").content.decode()
    assert "请为县（区）选择后缀（原填写未写明），再保存。" in page
