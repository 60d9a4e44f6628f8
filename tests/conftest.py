"""Shared fixtures: the real Guangxi 2024 campaign file, units, people, and complete nominations.

Every test talks to the real database named by DATABASE_URL (a SQLite file or PostgreSQL).
"""

import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.fixtures.campaigns import CampaignFile
from tests.fixtures.images import jpeg_of_size
from tests.fixtures.s3 import make_bucket, s3_environment, s3_server
from tuixuan.campaigns import configuration
from tuixuan.nominations import services
from tuixuan.review.models import Assignment
from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind, UnitKind

ROOT = Path(__file__).resolve().parent.parent
CAMPAIGNS = ROOT / "campaigns"
CHINA = ZoneInfo("Asia/Shanghai")
# A moment well before the gx-2024 deadline, so tests do not depend on today's date.
BEFORE_DEADLINE = datetime(2025, 2, 1, 10, 0, tzinfo=CHINA)
MB = 1048576


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; tests that are not about passwords use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def committed_cache_is_cleared(request, django_db_blocker):
    """The cache is a table in the database (settings.CACHES). A test that commits (transaction
    =True) may leave pages there, which the table flush does not remove: clear them after it."""
    yield
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        from django.core.cache import cache

        with django_db_blocker.unblock():
            cache.clear()


@pytest.fixture(autouse=True)
def configurations_read_are_forgotten():
    """Each test's database is rolled back, so the next test's campaign may have the same id and
    revision with other rows (never so in a running site, whose revisions only move on): the
    configurations a test read (``campaigns.configuration``) go with it."""
    yield
    configuration.forget_everything_read()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """One real S3-compatible server (moto's, its own process) for the whole test session."""
    with s3_server(log_path=tmp_path_factory.mktemp("s3") / "moto.log") as url:
        yield url


@pytest.fixture
def s3_bucket(settings, monkeypatch, s3_endpoint):
    """A fresh bucket on the S3 test server, configured as TUIXUAN_S3_* configure one (the
    storage "s3"; gunicorn workers and commands the test starts inherit the variables), but not
    in use: the local disk stays the default storage unless the test asks for ``in_s3``."""
    from tuixuan.settings import _s3_storage

    bucket = make_bucket(s3_endpoint, f"test-{uuid.uuid4().hex[:16]}")
    for name, value in s3_environment(s3_endpoint, bucket).items():
        if name != "TUIXUAN_STORAGE":
            monkeypatch.setenv(name, value)
    settings.STORAGES = {**settings.STORAGES, "s3": _s3_storage()}
    return bucket


def use_storage(settings, kind):
    """Store files in ``kind`` ("local" or "s3") from now on, as TUIXUAN_STORAGE=kind does."""
    settings.TUIXUAN_STORAGE = kind
    settings.STORAGES = {**settings.STORAGES, "default": settings.STORAGES[kind]}


@pytest.fixture
def in_s3(settings, monkeypatch, s3_bucket):
    """This test stores its files in a fresh bucket (TUIXUAN_STORAGE=s3)."""
    use_storage(settings, "s3")
    monkeypatch.setenv("TUIXUAN_STORAGE", "s3")
    return s3_bucket


# gx-2024.toml names national-2024-example as its parent: loaded first, in every test that has gx.
NATIONAL_FILE = CampaignFile(CAMPAIGNS / "national-2024-example.toml")
GX_FILE = CampaignFile(CAMPAIGNS / "gx-2024.toml", parent=NATIONAL_FILE)


@pytest.fixture
def gx(db):
    """The Guangxi 2024 campaign, as loading its real campaign file writes it (loaded once per
    session, then copied: tests/fixtures/campaigns.py)."""
    return GX_FILE.load()


@pytest.fixture
def national(gx):
    """gx-2024's parent campaign (national-2024-example), loaded with it."""
    return gx.parent


def category(campaign, key):
    return campaign.categories.get(key=key)


def make_unit(campaign, code="nanning-cast", name="南宁市科学技术协会", kind=UnitKind.CITY_CAST):
    unit = RecommendingUnit.objects.create(code=code, name=name, kind=kind)
    Participation.objects.create(campaign=campaign, unit=unit)
    return unit


def make_member(unit, username=None):
    user = get_user_model().objects.create_user(username or f"member-{unit.code}", password="x")
    Role.objects.create(user=user, kind=RoleKind.UNIT_MEMBER, unit=unit)
    return user


@pytest.fixture
def unit(gx):
    return make_unit(gx)


@pytest.fixture
def member(unit):
    return make_member(unit)


@pytest.fixture
def portal(client, member, unit):
    """The unit's clerk, logged in. The pages run at today's date, long after the 2025
    deadline, so the unit has an extension (30 days from now)."""
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    client.force_login(member)
    return client


@pytest.fixture
def other_unit(gx):
    return make_unit(gx, "gx-agri-society", "广西农学会", UnitKind.SOCIETY)


@pytest.fixture
def organiser(gx):
    user = get_user_model().objects.create_user("organiser", password="x")
    Role.objects.create(user=user, kind=RoleKind.ORGANISER, campaign=gx)
    return user


def valid_values(key: str) -> dict:
    """A complete nomination that meets every machine-checked rule of gx-2024, per category."""
    story = "长期深入乡村开展农业技术培训和科普讲座，带动群众科学种养，增收致富。" * 10
    registration = {"registered": True, "number": "DMZY-2021-0088"}
    return {
        "volunteer": {
            "name": "李秀梅",
            "gender": "女",
            "birth": "1978-06",
            "political_status": "中共党员",
            "address": "南宁市青秀区民族大道100号",
            "phone": "13807710001",
            "organisation": "南宁市农业科技志愿服务队",
            "projects": "农技下乡、科普进村",
            "service_start": "2019-05",
            "activity_count": 120,
            "registration": registration,
            "deeds": story,
        },
        "organisation": {
            "name": "广西农学会科技志愿服务总队",
            "founded": "2018-03-15",
            "registered_volunteers": 120,
            "party_members": 45,
            "total_hours": "24000",
            "hours_per_person": "200",
            "regular_ratio": "75",
            "activities": 180,
            "leader": "黄志强",
            "phone": "0771-2863980",
            "projects": ["科技助农进万家", "田间课堂"],
            "registration": registration,
            "deeds": story,
        },
        "project": {
            "name": "柑橘黄龙病防控科技服务",
            "applicant": "广西植保学会",
            "started": "2020-04",
            "volunteers": 36,
            "party_ratio": "40",
            "leader": "覃海燕",
            "phone": "13977100002",
            "registration": registration,
            "summary": story,
        },
        "service-point": {
            "name": {
                "province": "广西壮族自治区",
                "city": "南宁市",
                "county": "武鸣区",
                "street": "城厢镇",
                "community": "东风村",
            },
            "leader": "韦德明",
            "phone": "13607710003",
            "registered_volunteers": 210,
            "party_members": 60,
            "registered_ratio": "8.5",
            "participation_ratio": "66",
            "activity_kinds": ["理论宣讲", "科技培训", "农技推广", "科普讲座", "健康义诊"],
            "yearly_activities": 48,
            "teams": [
                {"name": f"东风村第{n}科技志愿服务队", "registration": registration}
                for n in range(1, 6)
            ],
            "deeds": story,
        },
    }[key]


def photo_upload(size=int(1.5 * MB), seed=0, name="photo.jpg"):
    return SimpleUploadedFile(name, jpeg_of_size(size, seed=seed), content_type="image/jpeg")


def complete_nomination(user, campaign, unit, key, *, photos=None, now=BEFORE_DEADLINE, **changes):
    """A draft with every field filled and the right number of real photos."""
    cat = category(campaign, key)
    nomination = services.create_nomination(
        user,
        campaign=campaign,
        category=cat,
        unit=unit,
        values={**valid_values(key), **changes},
        now=now,
    )
    for seed in range(cat.photo_min if photos is None else photos):
        services.add_photo(user, nomination, photo_upload(seed=seed), now=now)
    return nomination


def scored_by_an_expert(nomination):
    """An expert of the campaign who has scored ``nomination`` (the scores are beside the point):
    what closing its review and shortlisting it need."""
    expert, _ = get_user_model().objects.get_or_create(username=f"expert-{nomination.pk}")
    Role.objects.get_or_create(user=expert, kind=RoleKind.REVIEWER, campaign=nomination.campaign)
    Assignment.objects.create(nomination=nomination, reviewer=expert, scored_at=timezone.now())
    return nomination
