"""The last hours before a deadline: hundreds of units log in, fill in, upload and submit at once.

    .venv/bin/python bench/deadline_spike.py [--units 300] [--concurrency 32] [--workers 4]
                                             [--time-limit 600]

Recreates the PostgreSQL database ``tuixuan_spike`` (127.0.0.1:5432, user postgres), migrates,
loads campaigns/gx-2024.toml and makes ``--units`` units, each with one member and an extension of
the (past) deadline. Then starts gunicorn (production settings: TUIXUAN_DEBUG=0, HTTPS as said by
the proxy's X-Forwarded-Proto) and lets every unit, ``--concurrency`` at a time, do what a person
does in a browser over loopback: open the login page, log in (argon2, as deployed), and three
times: open the form, save it complete, upload two 1.5 MB photos, submit. Afterwards the database
is checked: every submission acknowledged to a unit is there, submitted, with both photos whose
stored bytes hash to what was sent; no unit is over its quota; no 5xx.

Figures, not assertions: throughput, latency per kind of request, errors, and each worker's peak
resident memory (VmHWM). The baseline is the login page, the cheapest page, measured under the
same load in the same run: each kind of request is also given as a multiple of its median.
"""

import argparse
import hashlib
import os
import secrets
import shutil
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from workspace import ROOT, made_up_values, workspace

DATABASE = "tuixuan_spike"
WORK, ENV = workspace(
    "spike", database_url=f"postgres://postgres@127.0.0.1:5432/{DATABASE}", served=True
)


def recreate_database():
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {DATABASE}")


recreate_database()

from browser import Browser, free_port, memory_kb, start_gunicorn, workers_of  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402
from tests.fixtures.images import jpeg_of_size  # noqa: E402
from tests.nominations.formdata import post_data  # noqa: E402

from tuixuan.campaigns.loader import load_campaign_file  # noqa: E402
from tuixuan.nominations.models import Nomination, Status  # noqa: E402
from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind, UnitKind  # noqa: E402

PER_UNIT = 3
PHOTOS_EACH = 2
PHOTO_BYTES = 1_572_864
PASSWORD = "spike-" + secrets.token_hex(8)
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


def setup(count):
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
    password = make_password(PASSWORD)
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"spike{n:04d}", password=password) for n in range(count)
    )
    Role.objects.bulk_create(
        Role(user=user, kind=RoleKind.UNIT_MEMBER, unit=unit)
        for user, unit in zip(users, units, strict=True)
    )
    return campaign


class Recorder:
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


def one_unit(n, port, photos, recorder, deadline, acknowledged):
    """What one unit's member does in the browser; returns the submissions acknowledged."""
    code, unit_path = f"spike-{n:04d}", f"/c/gx-2024/u/spike-{n:04d}/"
    if time.monotonic() > deadline:
        return recorder.fail(code, "time limit: never started")
    browser = Browser(port, record=recorder)
    try:
        browser.get("login page", "/accounts/login/")
        login = browser.post(
            "login",
            "/accounts/login/",
            {"username": f"spike{n:04d}", "password": PASSWORD, "next": unit_path},
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


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def check_database(campaign, acknowledged):
    """Problems found, as sentences; an empty list is a clean database."""
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=600, help="seconds for the load")
    parser.add_argument("--keep", action="store_true", help="keep the photos and gunicorn's log")
    options = parser.parse_args()
    began = time.perf_counter()
    campaign = setup(options.units)
    # Real JPEGs, made once, each distinct; nomination i of every unit sends photos 2i and 2i+1.
    photos = [
        jpeg_of_size(PHOTO_BYTES, seed=seed, dimensions=(320, 240))
        for seed in range(PER_UNIT * PHOTOS_EACH)
    ]
    print(f"setup: {time.perf_counter() - began:.1f} s ({options.units} units)", flush=True)
    port = free_port()
    log = open(WORK / "gunicorn.log", "w+b")  # noqa: SIM115 (read back at the end)
    server = start_gunicorn(port, options.workers, ENV, log)
    recorder, acknowledged = Recorder(), {}
    try:
        workers = workers_of(server.pid)
        warm = Browser(port)  # every worker imports its views before the clock starts
        for _ in range(options.workers * 2):
            warm.get("warm", "/accounts/login/")
        warm.close()
        deadline = time.monotonic() + options.time_limit
        start = time.perf_counter()
        with ThreadPoolExecutor(options.concurrency) as pool:
            futures = [
                pool.submit(one_unit, n, port, photos, recorder, deadline, acknowledged)
                for n in range(options.units)
            ]
        for future in futures:
            if future.exception():
                recorder.fail("client", f"crashed: {future.exception()!r}")
        elapsed = time.perf_counter() - start
        peaks = {pid: memory_kb(pid, "VmHWM") for pid in workers if Path(f"/proc/{pid}").exists()}
        restarted = sorted(set(workers_of(server.pid)) - set(workers))
    finally:
        server.terminate()
        server.wait(30)

    requests = sum(len(v) for v in recorder.seconds.values())
    errors_5xx = sum(c for s in recorder.statuses.values() for code, c in s.items() if code >= 500)
    uploaded = len(acknowledged) * PHOTOS_EACH * PHOTO_BYTES
    print(
        f"\n{options.units} units × {PER_UNIT} nominations × {PHOTOS_EACH} photos of "
        f"{PHOTO_BYTES / 1048576:.1f} MB; gunicorn {options.workers} sync workers, "
        f"{options.concurrency} concurrent browsers, PostgreSQL; {os.cpu_count()} cores"
    )
    print(
        f"  {elapsed:.1f} s: {requests / elapsed:.1f} requests/s, "
        f"{len(acknowledged) / elapsed:.2f} submissions/s, "
        f"{uploaded / elapsed / 1048576:.1f} MB/s of photos; "
        f"{len(acknowledged)} of {options.units * PER_UNIT} submitted"
    )
    base = percentile(recorder.seconds["login page"], 0.5)
    print(f"\n  {'request':14} {'count':>6} {'p50 s':>7} {'p95 s':>7} {'p99 s':>7} "
          f"{'p50÷login page':>15}  statuses")  # fmt: skip
    for kind in KINDS:
        seconds = recorder.seconds.get(kind)
        if not seconds:
            continue
        p50 = percentile(seconds, 0.5)
        statuses = " ".join(f"{s}×{c}" for s, c in sorted(recorder.statuses[kind].items()))
        print(
            f"  {kind:14} {len(seconds):6} {p50:7.3f} {percentile(seconds, 0.95):7.3f} "
            f"{percentile(seconds, 0.99):7.3f} {p50 / base:15.1f}  {statuses}"
        )
    stopped = sum(recorder.unexpected.values())
    print(
        f"\n  5xx responses: {errors_5xx}; units stopped early: {stopped}"
        + (f" {dict(recorder.unexpected)}" if recorder.unexpected else "")
    )
    for failure in recorder.failures:
        print(f"    {failure}")
    peak_list = ", ".join(f"{kb / 1024:.0f} MB" for kb in peaks.values())
    print(f"  peak RSS per worker (VmHWM): {peak_list}")
    if restarted:
        print(f"  workers replaced during the run (killed or timed out): {len(restarted)}")
    problems = check_database(campaign, acknowledged)
    print(f"\n  database check: {'clean' if not problems else f'{len(problems)} problems'}")
    for problem in problems[:20]:
        print(f"    {problem}")
    log.seek(0)
    tracebacks = log.read().decode(errors="replace").count("Traceback")
    if tracebacks:
        print(f"  gunicorn log: {tracebacks} tracebacks")
    if options.keep or problems or tracebacks:
        print(f"  kept: {WORK} (photos, gunicorn.log) and the database {DATABASE}")
    else:
        shutil.rmtree(WORK)  # ≈ 3 MB of photos a submission


if __name__ == "__main__":
    main()
