"""Whether the organiser's review queue stays fast as submissions pile up: 10 against 10,000.

    .venv/bin/python bench/lists.py [--sizes 10 10000] [--repeat 20]

Builds submitted nominations directly (bulk_create, across units of 12 each, like a real
campaign's quota) in a throw-away SQLite database and times GET /office/c/gx-2024/review/ with
Django's test Client in-process, logged in as the campaign's organiser. The baseline is the same
page at the smallest size, in the same run: the ratio is what 1,000 times the rows cost. The page
is paginated, so the first page, a filtered page and the last page are each timed; the query
count is given for each too (it must not grow with the rows).
"""

import argparse
import os
import shutil
import statistics
import time
from datetime import timedelta

from workspace import ROOT, made_up, workspace

WORK, _ENV = workspace("lists")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tuixuan.campaigns.loader import load_campaign_file  # noqa: E402
from tuixuan.nominations.models import Nomination, Status  # noqa: E402
from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind  # noqa: E402

PER_UNIT = 12  # 3 a category × 4 categories


def setup():
    call_command("migrate", verbosity=0)
    load_campaign_file(ROOT / "campaigns" / "national-2024-example.toml")  # gx-2024's parent
    campaign = load_campaign_file(ROOT / "campaigns" / "gx-2024.toml")
    organiser = get_user_model().objects.create_user("organiser")
    Role.objects.create(user=organiser, kind=RoleKind.ORGANISER, campaign=campaign)
    return campaign, organiser


def grow_to(campaign, count):
    """Add submitted nominations (and their units) until the campaign has ``count``."""
    categories = {c.key: c for c in campaign.categories.all()}
    have = Nomination.objects.count()
    units = {}
    for n in range(have // PER_UNIT, (count - 1) // PER_UNIT + 1):
        unit, _ = RecommendingUnit.objects.get_or_create(
            code=f"unit-{n}", defaults={"name": f"推荐单位{n:05d}", "kind": "society"}
        )
        Participation.objects.get_or_create(campaign=campaign, unit=unit)
        units[n] = unit
    start = timezone.now() - timedelta(days=1)
    nominations = []
    for n in range(have, count):
        nominations.append(
            made_up(
                categories,
                n,
                campaign=campaign,
                unit=units[n // PER_UNIT],
                status=Status.SUBMITTED,
                submitted_at=start + timedelta(seconds=n),
            )
        )
    Nomination.objects.bulk_create(nominations, batch_size=500)


def timed(client, path, repeat):
    """Median seconds per request, and the queries of one request."""
    response = client.get(path)  # warm: templates compiled, caches filled
    assert response.status_code == 200, (path, response.status_code)
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(path)
        seconds.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(seconds), len(queries)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[10, 10_000])
    parser.add_argument("--repeat", type=int, default=20)
    options = parser.parse_args()
    setup_test_environment()
    campaign, organiser = setup()
    client = Client()
    client.force_login(organiser)
    queue = f"/office/c/{campaign.key}/review/"
    results = {}
    for count in sorted(options.sizes):
        grow_to(campaign, count)
        paths = {
            "first page": queue,
            "filtered by category": queue + "?category=project",
            "last page": queue + "?page=last",
        }
        results[count] = {name: timed(client, path, options.repeat) for name, path in paths.items()}
    small, large = min(results), max(results)
    print(f"review queue, {options.repeat} requests each (median), SQLite, {os.cpu_count()} cores")
    for name in results[small]:
        print(f"  {name}:")
        for count in sorted(results):
            seconds, queries = results[count][name]
            print(f"    {count:6} submitted  {seconds * 1000:7.1f} ms   {queries:2} queries")
        ratio = results[large][name][0] / results[small][name][0]
        print(f"    {large} ÷ {small}: {ratio:.2f}× the time")
    shutil.rmtree(WORK)


if __name__ == "__main__":
    main()
