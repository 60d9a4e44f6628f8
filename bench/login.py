"""What a login costs with Django's argon2 parameters and with ours, measured in the same run.

    .venv/bin/python bench/login.py [--logins 30] [--workers 2] [--concurrency 2]

Makes ``--logins`` users for each of three cases, then serves each case with its own gunicorn
(``--workers`` sync workers, production settings) and logs the users in as a browser does (the
login page, then the form posted), ``--concurrency`` at a time:

  django   hashes made with Django's argon2 parameters (m=100 MiB, t=2, p=8), served with them
           (bench/django_argon2_settings.py): the cost before this change;
  owasp    hashes made with tuixuan.common.hashers (m=19 MiB, t=2, p=1), served with them;
  upgrade  Django's hashes served with ours: each first login verifies the old hash and
           re-hashes the password with the new parameters (a one-off per user).

Prints the login's median and p95, each worker's peak resident memory during the logins
(VmHWM, reset before) and how much above its resting size that peak is, and the ratio of
Django's to ours. The baseline in each case is the login page itself, the cheapest page.
"""

import argparse
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workspace import ROOT, workspace

WORK, ENV = workspace("login", served=True)

from browser import Browser, free_port, memory_kb, reset_peak, start_gunicorn, workers_of  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402

from tuixuan.common.hashers import OwaspArgon2PasswordHasher  # noqa: E402

PASSWORD = "login-bench-passphrase"
CASES = {
    # name: (settings module served, hasher the users' passwords were made with, description)
    "django": ("django_argon2_settings", Argon2PasswordHasher, "Django's own m=100 MiB t=2 p=8"),
    "owasp": ("tuixuan.settings", OwaspArgon2PasswordHasher, "OWASP m=19 MiB t=2 p=1"),
    "upgrade": ("tuixuan.settings", Argon2PasswordHasher, "first login: old hash, then re-hashed"),
}


def setup(count):
    call_command("migrate", verbosity=0)
    users = get_user_model()
    for case, (_module, hasher, _label) in CASES.items():
        password = make_password(PASSWORD, hasher=hasher())  # one hash for all: same password
        users.objects.bulk_create(
            users(username=f"{case}{n:04d}", password=password) for n in range(count)
        )


def log_in(port, username):
    """The login page, then the form posted; the post's seconds, or None when it was refused."""
    browser = Browser(port)
    try:
        page = browser.get("login page", "/accounts/login/")
        posted = browser.post(
            "login", "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        return page.seconds, (posted.seconds if posted.status == 302 else None)
    finally:
        browser.close()


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def measure(case, options):
    module = CASES[case][0]
    env = {**ENV, "DJANGO_SETTINGS_MODULE": module, "PYTHONPATH": str(ROOT / "bench")}
    port = free_port()
    with open(WORK / f"gunicorn-{case}.log", "wb") as log:
        server = start_gunicorn(port, options.workers, env, log)
        try:
            workers = workers_of(server.pid)
            warm = Browser(port)
            for _ in range(options.workers * 3):
                warm.get("warm", "/accounts/login/")
            warm.close()
            resting = {pid: memory_kb(pid) for pid in workers}
            for pid in workers:
                reset_peak(pid)
            start = time.perf_counter()
            with ThreadPoolExecutor(options.concurrency) as pool:
                results = list(
                    pool.map(lambda n: log_in(port, f"{case}{n:04d}"), range(options.logins))
                )
            elapsed = time.perf_counter() - start
            peaks = {
                pid: memory_kb(pid, "VmHWM") for pid in workers if Path(f"/proc/{pid}").exists()
            }
        finally:
            server.terminate()
            server.wait(30)
    pages = [page for page, _ in results]
    logins = [login for _, login in results if login is not None]
    refused = len(results) - len(logins)
    if refused:
        raise SystemExit(f"{case}: {refused} logins refused; see {WORK}")
    return {
        "page": percentile(pages, 0.5),
        "p50": percentile(logins, 0.5),
        "p95": percentile(logins, 0.95),
        "per_second": len(logins) / elapsed,
        "peak": max(peaks.values()) / 1024,
        "above": max(peaks[pid] - resting[pid] for pid in peaks) / 1024,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--logins", type=int, default=30, help="logins per case")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=2, help="browsers at once")
    options = parser.parse_args()
    setup(options.logins)
    load = os.getloadavg()[0]
    figures = {case: measure(case, options) for case in CASES}
    print(
        f"\n{options.logins} logins a case, {options.concurrency} at a time; gunicorn "
        f"{options.workers} sync workers; {os.cpu_count()} cores, load {load:.1f} before"
    )
    print(f"\n  {'case':8} {'argon2':38} {'p50 s':>6} {'p95 s':>6} {'logins/s':>9} "
          f"{'peak MB':>8} {'+MB':>5} {'p50÷page':>9}")  # fmt: skip
    for case, f in figures.items():
        print(
            f"  {case:8} {CASES[case][2]:38} {f['p50']:6.3f} {f['p95']:6.3f} "
            f"{f['per_second']:9.2f} {f['peak']:8.0f} {f['above']:5.0f} "
            f"{f['p50'] / f['page']:9.0f}"
        )
    old, new = figures["django"], figures["owasp"]
    throughput = new["per_second"] / old["per_second"]
    memory = old["above"] / max(new["above"], 1)
    print(
        f"\n  Django's ÷ ours: login p50 {old['p50'] / new['p50']:.1f}×, "
        f"p95 {old['p95'] / new['p95']:.1f}×; ours logs in {throughput:.1f}× as many a second; "
        f"a login adds {memory:.1f}× as much memory to a worker with Django's"
    )
    print("  (+MB: a worker's peak during the logins above its resting size after warming up)")


if __name__ == "__main__":
    main()
