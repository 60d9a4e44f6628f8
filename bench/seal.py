"""How well and how fast the seal search reads stamped scans (issue: a seal check on the scan).

    .venv/bin/python bench/seal.py [--rounds 3]

Scores ``documents.seal.check_seal`` on the generated pages of ``tests/fixtures/scans.py``
(``fixture_set``: red seals at 150 and 300 dpi, rotated, faded, JPEG-compressed; red handwriting
and red headings without a seal; black-and-white scans; blank pages): the confusion table,
precision and recall of "found", and the false "found" on red-text pages (must be 0). Then times a
10-page 300 dpi scan with the seal on its last page (every page searched; target < 2 s) against
the baseline of only drawing the same pages at the same resolution, in the same run.
"""

import argparse
import statistics
import time
from collections import Counter

from workspace import workspace

workspace("seal")

import pypdfium2  # noqa: E402
from tests.fixtures.scans import Page, fixture_set, scan_pdf  # noqa: E402

from tuixuan.documents.seal import SEARCH_DPI, check_seal  # noqa: E402


def score() -> None:
    pages = fixture_set()
    confusion = Counter()
    misses = []
    for name, page, expected in pages:
        found = check_seal(scan_pdf([page])).state.value
        confusion[expected, found] += 1
        if found != expected:
            misses.append(f"  {name}: expected {expected}, got {found}")
    states = ("found", "uncertain", "not_found")
    print(f"{len(pages)} pages")
    print("expected \\ got  " + "  ".join(f"{s:>10}" for s in states))
    for expected in states:
        print(f"{expected:>15}  " + "  ".join(f"{confusion[expected, s]:>10}" for s in states))
    true_found = confusion["found", "found"]
    said_found = sum(confusion[e, "found"] for e in states)
    seals = sum(confusion["found", s] for s in states)
    print(f"precision of 'found': {true_found / said_found if said_found else 0:.3f}")
    print(f"recall of 'found':    {true_found / seals if seals else 0:.3f}")
    red_text = [
        (n, p) for n, p, e in pages if e == "not_found" and (p.red_handwriting or p.red_heading)
    ]
    false = sum(check_seal(scan_pdf([p])).state.value == "found" for _, p in red_text)
    print(f"false 'found' on {len(red_text)} red-text pages: {false}")
    print("\n".join(misses) or "  (no misses)")


def timing(rounds: int) -> None:
    pages = [Page(dpi=300, seed=i, quality=80) for i in range(9)]
    pages.append(Page(dpi=300, seal="red", rotation=12, fade=0.3, seed=99))
    pdf = scan_pdf(pages)

    def render_only():
        document = pypdfium2.PdfDocument(pdf)
        for page in document:
            page.render(scale=SEARCH_DPI / 72).to_pil().convert("RGB")
        document.close()

    def measure(action):
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            action()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    baseline = measure(render_only)
    result = check_seal(pdf)
    search = measure(lambda: check_seal(pdf))
    print(f"\n10-page 300 dpi scan ({len(pdf) / 1048576:.1f} MB), seal on page {result.page}:")
    print(f"  drawing the pages only (baseline): {baseline:.2f} s")
    print(
        f"  seal search:                       {search:.2f} s"
        f"  ({search / baseline:.1f}× the baseline; target < 2 s)"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    score()
    timing(args.rounds)
