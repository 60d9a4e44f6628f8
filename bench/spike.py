"""The deadline spike's workload: what each unit's member does, and the check afterwards.

Not a benchmark itself. bench/deadline_spike.py runs it against one gunicorn, bench/cluster.py
through a load balancer in front of three app nodes. Import it after ``workspace()`` (it imports
Django's models). A unit ``n`` is ``spike-NNNN`` with the member ``spikeNNNN``; each unit logs in
and, three times, opens the form, saves it complete, uploads two 1.5 MB photos and submits.
"""

import hashlib
import threading
import time
from collections import Counter, defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone
from tests.fixtures.images import jpeg_of_size
from tests.nominations.formdata import post_data
from workspace import ROOT, made_up_values

from tuixuan.campaigns.loader import load_campaign_file
from tuixuan.nominations.models import Nomination, Status
from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind, UnitKind

PER_UNIT = 3
PHOTOS_EACH = 2
PHOTO_BYTES = 1_572_864
KINDS = [
    "login page",
    "login",
    "form page",
    "create",
    "edit page",
    "upload",
    "submit",
    "campaign page",
]


def setup(count, password):
    """Migrate, load gx-2024 and make ``count`` units, each with one member and an extension of
    the (past) deadline; returns the campaign."""
    call_command("migrate", verbosity=0)
    load_campaign_file(ROOT / "campaigns" / "national-2024-example.toml")  # gx-2024's parent
    campaign = load_campaign_file(ROOT / "campaigns" / "gx-2024.toml")
    extension = timezone.now() + timedelta(days=1)
    kinds = list(UnitKind)
    units = RecommendingUnit.objects.bulk_create(
        RecommendingUnit(code=f"spike-{n:04d}", name=f"推荐单位{n:04d}", kind=kinds[n % 3])
        for n in range(count)
    )
    Participation.objects.bulk_create(
        Participation(campaign=campaign, unit=unit, extension_until=extension) for unit in units
    )
    # One argon2 hash for all (same password): the logins pay argon2, the setup pays it once.
    hashed = make_password(password)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"spike{n:04d}", password=hashed) for n in range(count)
    )
    Role.objects.bulk_create(
        Role(user=user, kind=RoleKind.UNIT_MEMBER, unit=unit)
        for user, unit in zip(users, units, strict=True)
    )
    return campaign


def photos():
    """Real JPEGs, each distinct; nomination i of every unit sends photos 2i and 2i+1."""
    return [
        jpeg_of_size(PHOTO_BYTES, seed=seed, dimensions=(320, 240))
        for seed in range(PER_UNIT * PHOTOS_EACH)
    ]


class Recorder:
    """Every response's seconds and status by kind of request, and why units stopped early."""

    def __init__(self):
        self.lock = threading.Lock()
        self.seconds = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.unexpected = Counter()
        self.failures = []

    def __call__(self, kind, response):
        with self.lock:
            self.seconds[kind].append(response.seconds)
            self.statuses[kind][response.status] += 1

    def fail(self, unit, what):
        with self.lock:
            self.unexpected[what.split(":")[0]] += 1
            if len(self.failures) < 10:
                self.failures.append(f"{unit}: {what}")

    @property
    def requests(self) -> int:
        return sum(len(seconds) for seconds in self.seconds.values())

    @property
    def errors_5xx(self) -> int:
        return sum(c for s in self.statuses.values() for code, c in s.items() if code >= 500)


def one_unit(n, browser, *, password, photos, recorder, deadline, acknowledged):
    """What unit ``n``'s member does in ``browser``; each submission acknowledged to the unit
    goes into ``acknowledged`` (uid → unit, category, the photos' SHA-256)."""
    code, unit_path = f"spike-{n:04d}", f"/c/gx-2024/u/spike-{n:04d}/"
    if time.monotonic() > deadline:
        return recorder.fail(code, "time limit: never started")
    try:
        browser.get("login page", "/accounts/login/")
        login = browser.post(
            "login",
            "/accounts/login/",
            {"username": f"spike{n:04d}", "password": password, "next": unit_path},
            follow="campaign page",
        )
        if login.status != 302:
            return recorder.fail(code, f"login: {login.status}")
        for index in range(PER_UNIT):
            if time.monotonic() > deadline:
                return recorder.fail(code, "time limit: stopped before finishing")
            key, values = made_up_values(n, str(index))
            create_path = f"{unit_path}new/{key}/"
            browser.get("form page", create_path)
            created = browser.post("create", create_path, post_data(values), follow="edit page")
            if created.status != 302:
                return recorder.fail(code, f"create: {created.status}")
            edit_path = created.location
            chosen = photos[index * PHOTOS_EACH : (index + 1) * PHOTOS_EACH]
            files = [("photos", f"{code}-{index}-{k}.jpg", data) for k, data in enumerate(chosen)]
            uploaded = browser.post(
                "upload", edit_path + "photos/", {}, files=files, follow="edit page"
            )
            if uploaded.status != 302:
                return recorder.fail(code, f"upload: {uploaded.status}")
            submitted = browser.post(
                "submit", edit_path, post_data(values, action="submit"), follow="campaign page"
            )
            if submitted.status != 302 or submitted.location != unit_path:
                return recorder.fail(code, f"submit: {submitted.status}")
            uid = edit_path.strip("/").split("/")[-1]
            acknowledged[uid] = (code, key, [hashlib.sha256(d).hexdigest() for d in chosen])
    except OSError as error:
        recorder.fail(code, f"connection: {error!r}")
    finally:
        browser.close()
    return None


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def latency_table(recorder, indent="  "):
    """Per kind of request: count, p50/p95/p99, p50 as a multiple of the login page's, statuses."""
    base = percentile(recorder.seconds["login page"], 0.5)
    lines = [
        f"{indent}{'request':14} {'count':>6} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} "
        f"{'p50÷login page':>15}  statuses"
    ]
    for kind in KINDS:
        seconds = recorder.seconds.get(kind)
        if not seconds:
            continue
        p50 = percentile(seconds, 0.5)
        statuses = " ".join(f"{s}×{c}" for s, c in sorted(recorder.statuses[kind].items()))
        lines.append(
            f"{indent}{kind:14} {len(seconds):6} {p50:7.3f} {percentile(seconds, 0.95):7.3f} "
            f"{percentile(seconds, 0.99):7.3f} {p50 / base:15.1f}  {statuses}"
        )
    return "\n".join(lines)


def check_database(campaign, acknowledged):
    """Problems found, as sentences; an empty list is a clean database. Every photo is read back
    from the storage (a bucket or the disk) and its SHA-256 compared with what was sent."""
    problems = []
    found = {
        str(n.uid): n
        for n in Nomination.objects.filter(uid__in=list(acknowledged)).prefetch_related("photos")
    }
    for uid, (code, _key, hashes) in acknowledged.items():
        nomination = found.get(uid)
        if nomination is None:
            problems.append(f"{code}: acknowledged submission {uid} is missing")
            continue
        if nomination.status != Status.SUBMITTED:
            problems.append(f"{code}: {uid} is {nomination.status}, not submitted")
        photos = sorted(nomination.photos.all(), key=lambda p: p.order)
        stored = []
        for photo in photos:
            with photo.file.open("rb") as file:
                stored.append(hashlib.file_digest(file, "sha256").hexdigest())
            if photo.sha256 != stored[-1]:
                problems.append(f"{code}: photo {photo.pk} recorded hash ≠ stored bytes")
        if stored != hashes:
            problems.append(f"{code}: {uid} has {len(stored)} photos, not the ones uploaded")
    stray = (
        Nomination.objects.filter(status__in=Status.HOLDING_A_PLACE)
        .exclude(uid__in=list(acknowledged))
        .count()
    )
    if stray:
        problems.append(f"{stray} submissions in the database were never acknowledged to a unit")
    over = (
        Nomination.objects.filter(campaign=campaign, status__in=Status.HOLDING_A_PLACE)
        .values("unit__code", "category__key")
        .annotate(count=Count("pk"))
        .filter(count__gt=campaign.quota_per_unit)
    )
    problems += [
        f"{o['unit__code']} over quota in {o['category__key']}: {o['count']}" for o in over
    ]
    return problems
