"""The logged-in pages people use all day, against a constant page, on SQLite and PostgreSQL.

    .venv/bin/python bench/pages.py [--sizes 10 1000] [--seconds 5] [--clients 8] [--workers 2]
                                    [--databases sqlite postgres]

For each database (each in a child process of its own, so Django is set up once per database):
a throw-away database with the gx-2024 campaign, 40 units, an organiser, a unit's clerk with an
API token, and ``size`` handed-in nominations spread over the units. At every size the queries of
each page are counted in-process (Django's test client); at the largest size gunicorn
(``--workers`` sync workers, production settings) serves the pages to ``--clients`` keep-alive
clients for ``--seconds`` each, and every page is followed at once by the same load on
``/livez`` — a constant answer from the same server, the baseline. The figure that matters is
each page's requests/s divided by the baseline's (issue 18's targets: unit pages ≥ 0.2, save
≥ 0.15, dashboard ≥ 0.1, review queue of 200 ≥ 0.05), and the single-client time (median of
``--single`` sequential requests). Public pages are timed on a cache miss (the cache is cleared
before each request, in-process).
"""

import argparse
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-pages-password"
CAMPAIGN = "gx-2024"
UNITS = 40
CLERK_UNIT = "bench-0000"


# The parent: one child per database, then the table ----------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--single", type=int, default=30)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        return child(options)
    results = {}
    for database in options.databases:
        print(f"==> {database}", flush=True)
        command = [sys.executable, __file__, "--child", database, *child_arguments(options)]
        output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        results[database] = json.loads(output.strip().splitlines()[-1])
    report(results, options)


def child_arguments(options):
    return [
        "--sizes", *map(str, options.sizes), "--seconds", str(options.seconds),
        "--clients", str(options.clients), "--workers", str(options.workers),
        "--single", str(options.single),
    ]  # fmt: skip


def report(results, options):
    sizes = options.sizes
    print(
        f"\n{options.clients} keep-alive clients × {options.seconds:g} s a page, gunicorn "
        f"{options.workers} sync workers; single client: median of {options.single}; "
        f"throughput at {max(sizes)} nominations"
    )
    for database, result in results.items():
        print(f"\n{database}")
        counts = "  ".join(f"{'q@' + str(s):>7}" for s in sizes)
        print(f"  {'page':34} {'req/s':>7} {'bare':>7} {'÷bare':>6} {'single ms':>9}  {counts}")
        for name, row in result.items():
            rps, bare = row.get("rps"), row.get("bare")
            ratio = f"{rps / bare:6.3f}" if rps and bare else f"{'–':>6}"
            rps_text = f"{rps:7.1f}" if rps else f"{'–':>7}"
            bare_text = f"{bare:7.1f}" if bare else f"{'–':>7}"
            queries = "  ".join(f"{row['queries'].get(str(s), '–'):>7}" for s in sizes)
            print(f"  {name:34} {rps_text} {bare_text} {ratio} {row['single_ms']:9.1f}  {queries}")


# The child: one database -------------------------------------------------------------------


def child(options):
    database = options.child
    sys.path.insert(0, str(HERE))
    from workspace import workspace

    url = None
    if database == "postgres":
        url = "postgres://postgres@127.0.0.1:5432/tuixuan_pages"
        recreate_postgres("tuixuan_pages")
    global WORK, ENV
    WORK, ENV = workspace("pages", database_url=url, served=True)
    from django.core.management import call_command

    with quiet():
        call_command("migrate", verbosity=0)
    people = setup()
    results = {}
    made = 0
    for size in sorted(options.sizes):
        made = add_nominations(people, made, size)
        for page in pages(people, size):
            row = results.setdefault(page.name, {"queries": {}})
            row["queries"][str(size)] = page.count_queries(people)
    from browser import free_port, start_gunicorn

    port = free_port()
    with open(WORK / "gunicorn.log", "w+b") as log:
        server = start_gunicorn(port, options.workers, ENV, log)
        try:
            for page in pages(people, max(options.sizes)):
                row = results[page.name]
                row["single_ms"] = page.single(people, port, options.single)
                if page.public:
                    continue  # timed on a miss in-process; throughput is issue 18's cache hit
                row["rps"] = page.throughput(people, port, options.clients, options.seconds)
                row["bare"] = BARE.throughput(people, port, options.clients, options.seconds)
        finally:
            server.terminate()
            server.wait(30)
    print(json.dumps(results))


def recreate_postgres(name):
    import psycopg

    with psycopg.connect(
        "host=127.0.0.1 port=5432 user=postgres dbname=postgres", autocommit=True
    ) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


class quiet:
    """stdout to stderr while setting up: the child's stdout carries only its JSON."""

    def __enter__(self):
        self.saved, sys.stdout = sys.stdout, sys.stderr

    def __exit__(self, *exc):
        sys.stdout = self.saved


def setup():
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from workspace import ROOT

    from tuixuan.api.models import ApiToken
    from tuixuan.campaigns.loader import load_campaign_file
    from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind, UnitKind

    load_campaign_file(ROOT / "campaigns" / "national-2024-example.toml")  # gx-2024's parent
    campaign = load_campaign_file(ROOT / "campaigns" / f"{CAMPAIGN}.toml")
    kinds = list(UnitKind)
    units = RecommendingUnit.objects.bulk_create(
        RecommendingUnit(code=f"bench-{n:04d}", name=f"推荐单位{n:04d}", kind=kinds[n % 3])
        for n in range(UNITS)
    )
    extension = timezone.now() + timedelta(days=30)  # the forms stay open whatever the date
    Participation.objects.bulk_create(
        Participation(campaign=campaign, unit=unit, extension_until=extension) for unit in units
    )
    password = make_password(PASSWORD)
    User = get_user_model()
    clerk = User.objects.create(username="clerk", password=password)
    organiser = User.objects.create(username="organiser", password=password)
    Role.objects.create(user=clerk, kind=RoleKind.UNIT_MEMBER, unit=units[0])
    Role.objects.create(user=organiser, kind=RoleKind.ORGANISER, campaign=campaign)
    _, token = ApiToken.issue(clerk, name="bench")
    categories = {c.key: c for c in campaign.categories.all()}
    drafts = [draft(campaign, categories, units[0], n) for n in range(16)]
    return {
        "campaign": campaign,
        "categories": categories,
        "units": units,
        "clerk": clerk,
        "organiser": organiser,
        "token": token,
        "drafts": drafts,
    }


def draft(campaign, categories, unit, n):
    from workspace import made_up

    from tuixuan.nominations.models import Status

    nomination = made_up(categories, n, campaign=campaign, unit=unit, status=Status.DRAFT)
    nomination.save()
    return nomination


def add_nominations(people, made, size):
    """Hand in nominations up to ``size`` (spread over the units; the clerk's unit too)."""
    from django.utils import timezone
    from workspace import made_up

    from tuixuan.nominations.models import Nomination, Status

    now = timezone.now()
    units = people["units"]
    Nomination.objects.bulk_create(
        made_up(
            people["categories"], 1000 + n, campaign=people["campaign"],
            unit=units[n % len(units)], status=Status.SUBMITTED, submitted_at=now,
        )
        for n in range(made, size)
    )  # fmt: skip
    return size


class Page:
    def __init__(self, name, path, who, *, method="GET", data=None, public=False, each=None):
        self.name, self.path, self.who, self.method = name, path, who, method
        self.data, self.public, self.each = data, public, each

    def path_for(self, index):
        return self.each(index) if self.each else self.path

    def count_queries(self, people):
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(**self.client_headers(people))
        if self.who in ("clerk", "organiser"):
            client.force_login(people[self.who])
        client.generic(self.method, self.path_for(0), **self.body())  # warm: first-use caches
        if self.public:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.generic(self.method, self.path_for(0), **self.body())
        assert response.status_code in (200, 302), (self.name, response.status_code)
        return len(queries)

    def client_headers(self, people):
        served = {"HTTP_HOST": "127.0.0.1", "HTTP_X_FORWARDED_PROTO": "https"}
        if self.who == "token":
            return served | {"HTTP_AUTHORIZATION": f"Bearer {people['token']}"}
        return served

    def body(self):
        if self.method != "POST":
            return {}
        from urllib.parse import urlencode

        from tests.nominations.formdata import post_data

        pairs = []
        for key, value in post_data(self.data, action="save").items():
            for item in value if isinstance(value, list) else [value]:
                pairs.append((key, str(item)))
        return {"data": urlencode(pairs), "content_type": "application/x-www-form-urlencoded"}

    def browser(self, people, port):
        from browser import Browser

        browser = Browser(port)
        if self.who in ("clerk", "organiser"):
            browser.get("login page", "/accounts/login/")
            browser.post("login", "/accounts/login/", {"username": self.who, "password": PASSWORD})
        elif self.who == "token":
            browser.headers = {"Authorization": f"Bearer {people['token']}"}
        return browser

    def hit(self, browser, index):
        path = self.path_for(index)
        if self.method == "POST":
            if not browser.token:
                browser.get("form", path)
            return browser.post("save", path, self.data)
        return browser.get("page", path)

    def single(self, people, port, repeat):
        if self.public:
            return self.single_miss(people, repeat)
        browser = self.browser(people, port)
        self.hit(browser, 0)
        seconds = []
        for _ in range(repeat):
            response = self.hit(browser, 0)
            assert response.status in (200, 302), (self.name, response.status)
            seconds.append(response.seconds)
        browser.close()
        return statistics.median(seconds) * 1000

    def single_miss(self, people, repeat):
        from django.core.cache import cache
        from django.test import Client

        client = Client(**self.client_headers(people))
        client.get(self.path)
        seconds = []
        for _ in range(repeat):
            cache.clear()
            start = time.perf_counter()
            response = client.get(self.path)
            seconds.append(time.perf_counter() - start)
            assert response.status_code == 200, (self.name, response.status_code)
        return statistics.median(seconds) * 1000

    def throughput(self, people, port, clients, seconds):
        browsers = [self.browser(people, port) for _ in range(clients)]
        for index, browser in enumerate(browsers):
            self.hit(browser, index)
        done = [0] * clients
        bad = [0] * clients
        stop = time.monotonic() + seconds

        def load(index):
            while time.monotonic() < stop:
                response = self.hit(browsers[index], index)
                if response.status in (200, 302):
                    done[index] += 1
                else:
                    bad[index] += 1

        threads = [threading.Thread(target=load, args=(i,)) for i in range(clients)]
        start = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        for browser in browsers:
            browser.close()
        if sum(bad):
            print(f"{self.name}: {sum(bad)} unexpected answers", file=sys.stderr)
        return sum(done) / elapsed


BARE = Page("constant page (/livez)", "/livez", "anyone")


def pages(people, size):
    unit = f"/c/{CAMPAIGN}/u/{CLERK_UNIT}/"
    drafts = people["drafts"]
    first = drafts[0]
    from django.utils import timezone

    from tuixuan.showcase.models import Publication

    exemplar = publish_one(people, timezone)
    listed = Publication.objects.count()
    return [
        Page("unit: new-nomination form", f"{unit}new/volunteer/", "clerk"),
        Page("unit: draft edit form", f"/n/{first.uid}/", "clerk"),
        Page("unit: campaign home", unit, "clerk"),
        Page("API: the unit's nominations", f"/api/v1/nominations/?campaign={CAMPAIGN}", "token"),
        Page(
            "unit: save draft (POST)",
            f"/n/{first.uid}/",
            "clerk",
            method="POST",
            data=first.values,
            each=lambda i: f"/n/{drafts[i % len(drafts)].uid}/",
        ),
        Page("office: review queue, 50 rows", f"/office/c/{CAMPAIGN}/review/", "organiser"),
        Page(
            "office: review queue, 200 rows",
            f"/office/c/{CAMPAIGN}/review/?per_page=200",
            "organiser",
        ),
        Page(
            "office: API list, 200 rows",
            f"/api/v1/office/{CAMPAIGN}/nominations?limit=200",
            "organiser",
        ),
        Page("office: dashboard", f"/office/c/{CAMPAIGN}/", "organiser"),
        Page(f"public: exemplar list ({listed}), miss", "/exemplars/", "anyone", public=True),
        Page("public: exemplar page, miss", f"/exemplars/{exemplar}/", "anyone", public=True),
    ]


def publish_one(people, timezone):
    """One published exemplar (made directly: the page reads it), for the public pages."""
    from tuixuan.nominations.models import Nomination, Status
    from tuixuan.showcase.models import Publication

    found = Publication.objects.first()
    if found:
        return found.pk
    nomination = Nomination.objects.filter(status=Status.SUBMITTED).first()
    Nomination.objects.filter(pk=nomination.pk).update(status=Status.SELECTED)
    return Publication.objects.create(nomination=nomination, published_at=timezone.now()).pk


if __name__ == "__main__":
    main()
