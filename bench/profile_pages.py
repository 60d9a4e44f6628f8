"""bench/pages.py's pages timed in-process (Django's test client), with a profile on request.

    .venv/bin/python bench/profile_pages.py [--pages part ...] [--size 1000] [--repeat 50]
                                            [--top 40] [--sort cumulative|tottime] [--postgres [DB]]
                                            [--callees function ...]

Not a benchmark of its own (no baseline, no ratio): a tool for finding where a page's time goes
before and after a change, without gunicorn or wrk, so that several people can measure on one
machine without their loads mixing as much. Same data as bench/pages.py (its ``setup`` and
``pages``); prints each page's median and fastest time over ``--repeat`` requests, then, with
``--top``, the ``--top`` heaviest functions of a cProfile over another ``--repeat`` requests.
The thread's CPU time (``time.thread_time``; on SQLite with the database's work, on PostgreSQL
without the server's) moves a little less than the wall-clock time when others load the
machine; the number of function calls cProfile counts (``--top 1``) does not move at all, the
steadiest before/after comparison on a shared machine.
The figures of record are bench/pages.py's, measured with gunicorn and wrk.
"""

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages
from workspace import workspace


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", nargs="+", default=[], help="pages whose name contains one")
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--top", type=int, default=0)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument(
        "--callees", nargs="+", default=[], help="with --top: also who these functions call"
    )
    parser.add_argument(
        "--postgres",
        nargs="?",
        const="tuixuan_profile",
        metavar="DATABASE",
        help="measure on PostgreSQL, in DATABASE (recreated; default tuixuan_profile)",
    )
    options = parser.parse_args()
    url = None
    if options.postgres:
        pages.recreate_postgres(options.postgres)
        url = f"postgres://postgres@127.0.0.1:5432/{options.postgres}"
    pages.WORK, pages.ENV = workspace("profile", database_url=url, served=True)
    from django.core.management import call_command

    with pages.quiet():
        call_command("migrate", verbosity=0)
    people = pages.setup()
    pages.add_nominations(people, 0, options.size)
    for page in pages.chosen([*pages.pages(people, options.size), pages.BARE], options.pages):
        measure(page, people, options)


def measure(page, people, options):
    from django.test import Client

    client = Client(**page.client_headers(people))
    if page.who in ("clerk", "organiser"):
        client.force_login(people[page.who])

    def ask(index):
        if page.public:
            pages.miss()
        response = client.generic(page.method, page.path_for(index), **page.body())
        assert response.status_code in (200, 302), (page.name, response.status_code)

    for index in range(3):
        ask(index)
    times, cpu = [], []
    for index in range(options.repeat):
        start, start_cpu = time.perf_counter(), time.thread_time()
        ask(index)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.thread_time() - start_cpu) * 1000)
    print(
        f"{page.name:40} median {statistics.median(times):6.2f} ms  fastest {min(times):6.2f} ms"
        f"  cpu median {statistics.median(cpu):6.2f} ms",
        flush=True,
    )
    if options.top:
        profile = cProfile.Profile()
        profile.enable()
        for index in range(options.repeat):
            ask(index)
        profile.disable()
        text = io.StringIO()
        stats = pstats.Stats(profile, stream=text).sort_stats(options.sort)
        stats.print_stats(options.top)
        for name in options.callees:
            stats.print_callees(name)
        print(text.getvalue(), flush=True)


if __name__ == "__main__":
    main()
