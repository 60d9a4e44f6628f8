"""The logged-in pages people use all day, against a constant page, on SQLite and PostgreSQL.

    .venv/bin/python bench/pages.py [--sizes 10 1000] [--seconds 5] [--clients 16] [--workers 2]
                                    [--databases sqlite postgres]

For each database (each in a child process of its own, so Django is set up once per database):
a throw-away database with the gx-2024 campaign, 40 units, an organiser, a unit's clerk with an
API token, and ``size`` handed-in nominations spread over the units. At every size the queries of
each page are counted in-process (Django's test client); at the largest size gunicorn
(``--workers`` sync workers, production settings) serves each page to Debian's ``wrk`` (two
threads, ``--clients`` keep-alive connections, signed in) for ``--seconds``, and every page is
followed at once by the same load on ``/livez`` — a constant answer from the same server, the
baseline. wrk rather than Python threads: a Python client spends as much CPU per request as the
constant page does, so it would measure itself there (``make bench-tools`` installs wrk). The
figure that matters is each page's requests/s divided by the baseline's (issue 18's targets:
unit pages ≥ 0.2, save ≥ 0.15, dashboard ≥ 0.1, review queue of 200 ≥ 0.05), and the
single-client time (median of ``--single`` sequential requests). Public pages are timed on a
cache miss (a new generation of the cache before each request, as a publication makes;
in-process), with ``EXEMPLARS`` published. ``--only`` picks pages by part of their name.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PASSWORD = "bench-pages-password"
CAMPAIGN = "gx-2024"
UNITS = 40
CLERK_UNIT = "bench-0000"
EXEMPLARS = 60  # published, for the public pages (as issue 18 measured)


# The parent: one child per database, then the table ----------------------------------------


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000])
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--single", type=int, default=30)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--only", nargs="+", default=[], help="pages whose name contains one")
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
        "--single", str(options.single), *(["--only", *options.only] if options.only else []),
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
        for page in chosen(pages(people, size), options.only):
            row = results.setdefault(page.name, {"queries": {}})
            row["queries"][str(size)] = page.count_queries(people)
    from browser import free_port, start_gunicorn

    port = free_port()
    with open(WORK / "gunicorn.log", "w+b") as log:
        server = start_gunicorn(port, options.workers, ENV, log)
        try:
            for page in chosen(pages(people, max(options.sizes)), options.only):
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
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        client = Client(**self.client_headers(people))
        if self.who in ("clerk", "organiser"):
            client.force_login(people[self.who])
        client.generic(self.method, self.path_for(0), **self.body())  # warm: first-use caches
        if self.public:
            miss()
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
        from django.test import Client

        client = Client(**self.client_headers(people))
        client.get(self.path)
        seconds = []
        for _ in range(repeat):
            miss()
            start = time.perf_counter()
            response = client.get(self.path)
            seconds.append(time.perf_counter() - start)
            assert response.status_code == 200, (self.name, response.status_code)
        return statistics.median(seconds) * 1000

    def throughput(self, people, port, clients, seconds):
        """Requests/s under ``wrk -t2 -c<clients>`` (as the issue measured): a C client, so the
        constant page's figure is the server's, not a Python client's. Every connection carries
        the signed-in person's cookies (or the API token); a save posts the form with the CSRF
        token, going round the drafts as the Python client did."""
        browser = self.browser(people, port)
        self.hit(browser, 0)  # signs in, warms the worker, and takes the form's CSRF token
        headers = {
            "X-Forwarded-Proto": "https",
            "User-Agent": "tuixuan-bench-wrk",
            **browser.headers,
        }
        if browser.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        paths = [self.path_for(index) for index in range(clients)]
        body = ""
        if self.method == "POST":
            from urllib.parse import urlencode

            from browser import form_pairs

            headers |= {
                "Origin": browser.origin,
                "Referer": browser.origin + paths[0],
                "Content-Type": "application/x-www-form-urlencoded",
            }
            body = urlencode([("csrfmiddlewaretoken", browser.token), *form_pairs(self.data)])
        browser.close()
        expected = probe(port, self.method, paths[0], headers, body)
        script = WORK / "wrk.lua"
        script.write_text(wrk_script(self.method, paths, headers, body))
        answer = subprocess.run(
            ["wrk", "-t2", f"-c{clients}", f"-d{max(1, round(seconds))}s", "-s", str(script),
             f"http://127.0.0.1:{port}"],
            check=True, capture_output=True, text=True,
        )  # fmt: skip
        bad = re.search(r"Non-2xx or 3xx responses: (\d+)", answer.stdout)
        errors = re.search(r"Socket errors: .*", answer.stdout)
        if bad or errors:
            print(f"{self.name}: {(bad or errors).group(0)}", file=sys.stderr)
        read = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+)(\w+) read", answer.stdout)
        size = float(read.group(2)) * UNITS_OF[read.group(3)] / int(read.group(1))
        if size < 0.9 * expected:  # wrong page (a script error makes wrk fetch "/" instead)
            raise SystemExit(f"{self.name}: wrk read {size:.0f} bytes an answer, not {expected}")
        return float(re.search(r"Requests/sec:\s+([\d.]+)", answer.stdout).group(1))


UNITS_OF = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def probe(port, method, path, headers, body) -> int:
    """The size of one answer to exactly what wrk will send (its status must be 200 or 302)."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request(method, path, body=body or None, headers=headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    assert answer.status in (200, 302), (path, answer.status)
    head = sum(len(k) + len(v) + 4 for k, v in answer.getheaders()) + 17
    return head + len(data)


def wrk_script(method, paths, headers, body):
    """wrk's Lua: the same method, headers and body each time, the paths taken in turn."""

    def text(value):
        return f"[==[{value}]==]"

    return "\n".join(
        [
            "local paths = {" + ", ".join(text(path) for path in paths) + "}",
            "local headers = {"
            + ", ".join(f"[ {text(k)} ] = {text(v)}" for k, v in headers.items())
            + "}",
            f"local body = {text(body)}",
            "local turn = 0",
            "request = function()",
            "  turn = turn + 1",
            f"  return wrk.format({text(method)}, paths[turn % #paths + 1], headers,"
            " body ~= '' and body or nil)",
            "end",
        ]
    )


BARE = Page("constant page (/livez)", "/livez", "anyone")


def miss():
    """The next public page is a cache miss, as after a publication: a new generation of the
    cache (showcase/cache.py), not an empty cache (which would also have to make the generation)."""
    from tuixuan.showcase.cache import changed

    changed()


def pages(people, size):
    unit = f"/c/{CAMPAIGN}/u/{CLERK_UNIT}/"
    drafts = people["drafts"]
    first = drafts[0]
    from django.utils import timezone

    exemplar = publish(people, timezone)
    return [
        Page("unit: new-nomination form", f"{unit}new/volunteer/", "clerk"),
        Page("unit: draft edit form", f"/n/{first.uid}/", "clerk"),
        Page("unit: campaign home", unit, "clerk"),
        Page("unit: my redirect", "/my/", "clerk"),  # every login lands here: a 302 to the above
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
        Page("public: exemplar list, miss", "/exemplars/", "anyone", public=True),
        Page("public: exemplar page, miss", f"/exemplars/{exemplar}/", "anyone", public=True),
    ]


def chosen(every, only):
    return [page for page in every if not only or any(part in page.name for part in only)]


def publish(people, timezone):
    """Up to ``EXEMPLARS`` published exemplars (made directly: the pages read them), as the
    issue measured; the first one's key, for the exemplar page."""
    from tuixuan.nominations.models import Nomination, Status
    from tuixuan.showcase.models import Publication

    wanted = EXEMPLARS - Publication.objects.count()
    if wanted > 0:
        chosen = list(
            Nomination.objects.filter(status=Status.SUBMITTED)
            .order_by("pk")
            .values_list("pk", flat=True)[:wanted]
        )
        Nomination.objects.filter(pk__in=chosen).update(status=Status.SELECTED)
        now = timezone.now()
        Publication.objects.bulk_create(
            Publication(nomination_id=pk, published_at=now) for pk in chosen
        )
    return Publication.objects.order_by("pk").first().pk


if __name__ == "__main__":
    main()
