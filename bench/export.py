"""How long the documents take at 100 and 1,000 nominations, and whether they grow linearly.

    .venv/bin/python bench/export.py [--sizes 100 1000] [--pdf-sample 10]

Builds the nominations (with two 1.5 MB photos each, and the smaller copies their Word forms
embed, made as an upload makes them) in a throw-away SQLite database, then times the Word forms,
the summary workbook and the forwarding package (without PDF forms) at each size. The baseline is
a bare python-docx document of the same shape (same rows, same two pictures), timed in the same
run: the ratio to it is what our own form costs. The upload-time cost of a form copy is printed
for the bench photo and for a 12-megapixel one; a sample of PDF forms is timed separately, since a
package with PDFs is dominated by WeasyPrint.
"""

import argparse
import io
import os
import tempfile
import time

from workspace import ROOT, made_up, workspace

WORK, _ENV = workspace("bench")

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.core.management import call_command  # noqa: E402
from docx import Document  # noqa: E402
from docx.shared import Cm  # noqa: E402
from tests.fixtures.images import jpeg_of_size  # noqa: E402

from tuixuan.campaigns.loader import load_campaign_file  # noqa: E402
from tuixuan.common.images import smaller_copy  # noqa: E402
from tuixuan.documents.docx import nomination_docx  # noqa: E402
from tuixuan.documents.package import build_package  # noqa: E402
from tuixuan.documents.rows import form_rows  # noqa: E402
from tuixuan.documents.tasks import render_pdf_form  # noqa: E402
from tuixuan.documents.xlsx import summary_workbook  # noqa: E402
from tuixuan.nominations.files import FORM_COPY_SIDE  # noqa: E402
from tuixuan.nominations.models import Nomination, Photo, Status  # noqa: E402
from tuixuan.units.models import Participation, RecommendingUnit  # noqa: E402

PHOTO_BYTES = 1_572_864
WORKERS = os.cpu_count() or 1


def setup(count):
    call_command("migrate", verbosity=0)
    load_campaign_file(ROOT / "campaigns" / "national-2024-example.toml")  # gx-2024's parent
    campaign = load_campaign_file(ROOT / "campaigns" / "gx-2024.toml")
    categories = {c.key: c for c in campaign.categories.all()}
    photos = []
    for seed in range(2):
        # Noise, like a real photo's data: it does not compress (zero padding would), and its
        # copy is as large as a 1200×900 JPEG gets: the worst case for the package's size.
        original = jpeg_of_size(PHOTO_BYTES, seed=seed, dimensions=(1200, 900))
        copy, _width, _height = smaller_copy(io.BytesIO(original), FORM_COPY_SIDE)
        photos.append(
            (
                default_storage.save(f"photos/bench/{seed}.jpg", ContentFile(original)),
                default_storage.save(f"photos/bench/{seed}-form.jpg", ContentFile(copy)),
            )
        )
    units = []
    for n in range(count // 12 + 1):
        unit = RecommendingUnit.objects.create(
            code=f"unit-{n}", name=f"推荐单位{n:04d}", kind="society"
        )
        Participation.objects.create(campaign=campaign, unit=unit)
        units.append(unit)
    nominations = [
        made_up(categories, n, campaign=campaign, unit=units[n // 12], status=Status.SHORTLISTED)
        for n in range(count)
    ]
    Nomination.objects.bulk_create(nominations, batch_size=500)
    Photo.objects.bulk_create(
        Photo(
            nomination=nomination,
            file=name,
            form_copy=copy,
            content_type="image/jpeg",
            size=PHOTO_BYTES,
            width=1200,
            height=900,
            sha256="0" * 64,
            order=order,
        )
        for nomination in Nomination.objects.all()
        for order, (name, copy) in enumerate(photos)
    )
    return campaign


def chosen(campaign, count):
    return list(
        campaign.nominations.select_related("campaign", "category", "unit")
        .prefetch_related("photos", "attachments", "category__fields")
        .order_by("pk")[:count]
    )


def timed(work):
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def bare_docx(nomination, pictures):
    """The same table and pictures with no styling, fonts or layout of ours."""
    document = Document()
    table = document.add_table(rows=0, cols=2)
    for row in form_rows(nomination):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = row.label, row.text
    paragraph = document.add_paragraph()
    for picture in pictures:
        paragraph.add_run().add_picture(io.BytesIO(picture), width=Cm(7.0))
    document.save(io.BytesIO())


def write_bytes(size):
    """The floor: writing as many bytes to a file as the package holds, nothing else done."""
    block = os.urandom(1024 * 1024)
    with tempfile.TemporaryFile() as out:
        for _ in range(size // len(block)):
            out.write(block)
        out.write(block[: size % len(block)])


def measure(campaign, count, pictures, kept_pdfs):
    nominations = chosen(campaign, count)
    for first in {n.category_id: n for n in nominations}.values():
        nomination_docx(first)  # each category's template is laid out once, before timing
    summary_workbook(campaign, nominations[:4])  # openpyxl's first workbook loads its styles
    figures = {}
    figures["baseline bare docx"] = timed(lambda: [bare_docx(n, pictures) for n in nominations])
    figures["word forms"] = timed(lambda: [len(nomination_docx(n)) for n in nominations])
    with tempfile.TemporaryFile() as out:
        figures["summary xlsx"] = timed(lambda: summary_workbook(campaign, nominations, out))
    with tempfile.TemporaryFile() as out:
        figures["package zip"] = timed(
            lambda: build_package(campaign, nominations, out, include_pdf=False)
        )
        size = out.tell()
    with tempfile.TemporaryFile() as out:
        figures[f"package zip ×{WORKERS}"] = timed(
            lambda: build_package(campaign, nominations, out, include_pdf=False, workers=WORKERS)
        )
    figures["disk: same bytes"] = timed(lambda: write_bytes(size))
    if kept_pdfs:
        with tempfile.TemporaryFile() as out:
            figures[f"+ kept PDFs ×{WORKERS}"] = timed(
                lambda: build_package(campaign, nominations, out, workers=WORKERS)
            )
    return figures, size


def keep_pdfs(campaign, count):
    """What the worker does as nominations are handed in: render each PDF form and keep it."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    pks = [nomination.pk for nomination in chosen(campaign, count)]
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(WORKERS, mp_context=context) as pool:
        return timed(lambda: list(pool.map(render_pdf_form.call, pks, chunksize=10)))


def form_copies():
    """What an upload pays once for the copy its Word form embeds (not part of the package)."""
    import random

    from PIL import Image

    camera = io.BytesIO()
    noise = random.Random(7).randbytes(4000 * 3000 * 3)
    Image.frombytes("RGB", (4000, 3000), noise).save(camera, "JPEG", quality=80)
    samples = {
        "bench photo 1200×900": Photo.objects.first().file.read(),
        "photo 4000×3000": camera.getvalue(),
    }
    runs = 5
    print(f"\nForm copy made on upload (long side {FORM_COPY_SIDE} px), once per photo:")
    for name, data in samples.items():
        copy, _width, _height = smaller_copy(io.BytesIO(data), FORM_COPY_SIDE)
        seconds = timed(
            lambda d=data: [smaller_copy(io.BytesIO(d), FORM_COPY_SIDE) for _ in range(runs)]
        )
        print(
            f"  {name:22} {len(data) / 1e6:5.2f} MB → copy {len(copy) / 1e6:4.2f} MB"
            f"  {seconds / runs * 1000:6.1f} ms"
        )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 1000])
    parser.add_argument("--pdf-sample", type=int, default=10)
    parser.add_argument(
        "--no-kept-pdfs", action="store_true", help="skip rendering every PDF form ahead"
    )
    options = parser.parse_args()
    largest = max(options.sizes)
    campaign = setup(largest)
    pictures = [Photo.objects.first().form_copy.read()] * 2  # what the forms embed
    if not options.no_kept_pdfs:
        seconds = keep_pdfs(campaign, largest)
        print(
            f"PDF forms rendered and kept as {largest} nominations are handed in (worker, "
            f"×{WORKERS}): {seconds:.0f} s, not part of packaging"
        )
    results = {}
    for count in options.sizes:
        results[count], size = measure(campaign, count, pictures, not options.no_kept_pdfs)
        print(f"\n{count} nominations (package {size / 1e9:.2f} GB):")
        for name, seconds in results[count].items():
            print(f"  {name:20} {seconds:8.2f} s   {seconds / count * 1000:7.1f} ms each")
        base = results[count]["baseline bare docx"]
        print(f"  word forms ÷ baseline: {results[count]['word forms'] / base:.2f}")
        package = results[count][f"package zip ×{WORKERS}"]
        print(
            f"  package zip ×{WORKERS} ÷ disk: {package / results[count]['disk: same bytes']:.2f}"
        )
    form_copies()
    if len(options.sizes) >= 2:
        small, large = options.sizes[0], options.sizes[-1]
        print(f"\nGrowth from {small} to {large} nominations (linear would be {large / small:g}×):")
        for name in results[small]:
            print(f"  {name:20} {results[large][name] / results[small][name]:6.2f}×")
    if options.pdf_sample:
        from tuixuan.documents.pdf import form_html, render_pdf

        sample = chosen(campaign, options.pdf_sample)
        render_pdf(form_html(sample[0]))  # WeasyPrint's start-up is paid once per worker
        seconds = timed(lambda: [render_pdf(form_html(n)) for n in sample])
        print(
            f"\nPDF forms rendered: {seconds / len(sample):.2f} s each (sample of {len(sample)}); "
            f"{largest} not rendered ahead would add ≈ {seconds / len(sample) * largest:.0f} s"
        )


if __name__ == "__main__":
    main()
