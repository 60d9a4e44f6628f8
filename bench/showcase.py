"""Requests per second for the public exemplar pages, against a constant page in the same server.

    .venv/bin/python bench/showcase.py [--exemplars 60] [--seconds 5] [--clients 8] [--workers 2]

Builds published exemplars (with photos) in a throw-away SQLite database, starts gunicorn on a
free loopback port, and drives each URL with keep-alive clients for a fixed time. The baseline is
``/livez`` (a bare Django view returning a constant) served by the same gunicorn in the same
run; the figure that matters is each page's ratio to it (target ≥ 0.5).
"""

import argparse
import http.client
import threading
import time

from workspace import ROOT, made_up, workspace

WORK, ENV = workspace("showcase", served=True)

from browser import free_port, start_gunicorn  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402
from tests.fixtures.images import jpeg_of_size  # noqa: E402

from tuixuan.campaigns.loader import load_campaign_file  # noqa: E402
from tuixuan.common.images import smaller_copy  # noqa: E402
from tuixuan.nominations.models import Photo, Status  # noqa: E402
from tuixuan.showcase.models import (  # noqa: E402
    SIZES,
    Publication,
    PublicPhoto,
)
from tuixuan.units.models import RecommendingUnit  # noqa: E402


def build(count):
    """Published exemplars, made directly: the benchmark is about reading them."""
    import io

    from django.core.files.base import ContentFile

    call_command("migrate", verbosity=0)
    load_campaign_file(ROOT / "campaigns" / "national-2024-example.toml")  # gx-2024's parent
    campaign = load_campaign_file(ROOT / "campaigns" / "gx-2024.toml")
    categories = {c.key: c for c in campaign.categories.all()}
    unit = RecommendingUnit.objects.create(
        code="bench", name="南宁市科学技术协会", kind="city_cast"
    )
    original = jpeg_of_size(1_200_000, dimensions=(1200, 900))
    copies = {size: smaller_copy(io.BytesIO(original), size) for size in SIZES}
    first = None
    for n in range(count):
        nomination = made_up(categories, n, campaign=campaign, unit=unit, status=Status.SELECTED)
        nomination.save()
        Photo.objects.create(
            nomination=nomination, file="photos/bench.jpg", content_type="image/jpeg",
            size=len(original), width=1200, height=900, sha256="0" * 64,
        )  # fmt: skip
        publication = Publication.objects.create(nomination=nomination, published_at=timezone.now())
        for size, (data, width, height) in copies.items():
            copy = PublicPhoto(
                publication=publication, order=0, size=size, width=width, height=height
            )
            copy.file.save(f"0-{size}.jpg", ContentFile(data), save=False)
            copy.save()
        first = first or publication
    return first


def load(port, path, seconds, clients) -> tuple[float, int]:
    """Requests per second over ``seconds`` with ``clients`` keep-alive connections; errors."""
    stop = time.perf_counter() + seconds
    counts, errors = [0] * clients, [0] * clients

    def client(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.perf_counter() < stop:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                counts[index] += 1
            else:
                errors[index] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.perf_counter() - began), sum(errors)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--exemplars", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    first = build(options.exemplars)
    port = free_port()
    server = start_gunicorn(port, options.workers, ENV, None)
    try:
        paths = {
            "baseline /livez": "/livez",
            "exemplar list": "/exemplars/",
            "exemplar list, filtered": "/exemplars/?category=project",
            "exemplar detail": f"/exemplars/{first.pk}/",
        }
        for path in paths.values():  # warm every worker's cache and imports
            load(port, path, 0.5, options.clients)
        results = {
            name: load(port, path, options.seconds, options.clients) for name, path in paths.items()
        }
    finally:
        server.terminate()
        server.wait(10)
    base = results["baseline /livez"][0]
    print(
        f"gunicorn {options.workers} workers, {options.clients} clients, "
        f"{options.seconds:g} s each, {options.exemplars} exemplars"
    )
    for name, (rate, errors) in results.items():
        print(f"  {name:26} {rate:8.0f} req/s   ratio {rate / base:5.2f}   errors {errors}")


if __name__ == "__main__":
    main()
