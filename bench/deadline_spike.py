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
import os
import secrets
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workspace import recreate_postgres_database, workspace

DATABASE = "tuixuan_spike"
WORK, ENV = workspace(
    "spike", database_url=f"postgres://postgres@127.0.0.1:5432/{DATABASE}", served=True
)


recreate_postgres_database(DATABASE)

from browser import Browser, free_port, memory_kb, start_gunicorn, workers_of  # noqa: E402
from spike import (  # noqa: E402
    PER_UNIT,
    PHOTO_BYTES,
    PHOTOS_EACH,
    Recorder,
    check_database,
    latency_table,
    one_unit,
    photos,
    setup,
)

PASSWORD = "spike-" + secrets.token_hex(8)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--time-limit", type=float, default=600, help="seconds for the load")
    parser.add_argument("--keep", action="store_true", help="keep the photos and gunicorn's log")
    options = parser.parse_args()
    began = time.perf_counter()
    campaign = setup(options.units, PASSWORD)
    sent = photos()
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
                pool.submit(
                    one_unit,
                    n,
                    Browser(port, record=recorder),
                    password=PASSWORD,
                    photos=sent,
                    recorder=recorder,
                    deadline=deadline,
                    acknowledged=acknowledged,
                )
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

    requests, errors_5xx = recorder.requests, recorder.errors_5xx
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
    print(f"\n{latency_table(recorder)}")
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
