"""Does the stamped scan carry an official seal? An aid for the formal review, never a refusal.

Each page of the uploaded PDF is drawn at a low resolution (pypdfium2) and searched with OpenCV:

1. the red ink: hue near red, saturated enough to be ink rather than a pink tint, bright enough
   not to be black text's JPEG fringe;
2. seal-sized shapes in it: round (the enclosing circle holds most of the shape), 25–60 mm across
   on the page (official seals are 38–45 mm; copies may be scaled);
3. the ring: red found round almost the whole circumference near the edge, and something (the star,
   the unit's name) inside but not a solid disc.

A page of red handwriting or a red heading has red but no ring; a black-and-white scan has a
ring but no colour, so nothing can be confirmed from it ("uncertain"); a blank page has neither.
Thresholds are measured on the generated scans of tests/fixtures/scans.py (precision and
recall: bench/seal.py).
"""

from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2

from tuixuan.nominations.models import SealState

# Pages are searched at this resolution: a 42 mm seal is ~130 px across, plenty for its ring.
SEARCH_DPI = 80
MM_PER_INCH = 25.4
SEAL_MM = (25, 60)
# A pixel is red ink when (OpenCV HSV, H in 0..179) its hue is within this of red, and it is
# saturated and bright enough (a faded seal is pink: S about 60; black text's JPEG fringe is dark).
RED_HUE = 12
INK_SATURATION = 55
INK_VALUE = 90
# For a black-and-white scan: a pixel is ink when this dark.
DARK_VALUE = 140
# The page has colour when this share of its pixels is saturated (a grey scan has none).
COLOURED_SHARE = 0.0002
# The ring: red within the outer band on this share of the angles round the circle.
RING_FOUND = 0.8
RING_UNCERTAIN = 0.55
# Inside the ring: this share of the inner disc is ink (a star and text; not a solid disc).
INSIDE = (0.03, 0.6)
CROP_MARGIN = 0.15


@dataclass(frozen=True)
class SealResult:
    """What the search found: on which page (1-based; None when not found) and a small PNG crop
    of the mark so a person can judge it."""

    state: SealState
    page: int | None = None
    crop: bytes | None = None


@dataclass(frozen=True)
class _Candidate:
    ring: float
    box: tuple[int, int, int, int]


def _red_mask(hsv: np.ndarray) -> np.ndarray:
    hue, saturation, value = cv2.split(hsv)
    red = (hue <= RED_HUE) | (hue >= 180 - RED_HUE)
    return (red & (saturation >= INK_SATURATION) & (value >= INK_VALUE)).astype(np.uint8) * 255


def _ring_coverage(mask: np.ndarray, cx: float, cy: float, radius: float) -> float:
    """How much of a circle of ink there is near this radius: the share of 120 directions from
    the centre that meet ink at one radius (give or take a pixel), the best radius between 0.75
    and 1.1 of the one given. A seal's ring scores near 1; text crossing the circle scores low,
    since it meets the circle here and there, at no one radius."""
    height, width = mask.shape
    angles = np.linspace(0, 2 * np.pi, 120, endpoint=False)
    radii = np.linspace(0.75 * radius, 1.1 * radius, 15)
    xs = (cx + np.outer(np.cos(angles), radii)).round().astype(int).clip(0, width - 1)
    ys = (cy + np.outer(np.sin(angles), radii)).round().astype(int).clip(0, height - 1)
    hits = mask[ys, xs] > 0
    return max(float(hits[:, i : i + 3].any(axis=1).mean()) for i in range(len(radii) - 2))


def _inside_share(mask: np.ndarray, cx: float, cy: float, radius: float) -> float:
    disc = np.zeros_like(mask)
    cv2.circle(disc, (round(cx), round(cy)), max(1, round(radius * 0.7)), 255, -1)
    area = np.count_nonzero(disc)
    return np.count_nonzero(mask & disc) / area if area else 0.0


def _circles(mask: np.ndarray, low: float, high: float) -> list[tuple[float, float, float]]:
    """Seal-sized circles in the ink: each shape's enclosing circle (when the shape stands alone)
    and the Hough transform's circles (when the seal touches a table line or text)."""
    joined = cv2.morphologyEx(
        mask, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))
    )
    contours, _ = cv2.findContours(joined, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    circles = []
    for contour in contours:
        (cx, cy), radius = cv2.minEnclosingCircle(contour)
        if low <= radius <= high:
            circles.append((cx, cy, radius))
    hough = cv2.HoughCircles(
        cv2.GaussianBlur(mask, (5, 5), 1.5),
        cv2.HOUGH_GRADIENT,
        dp=1,
        minDist=low,
        param1=100,
        param2=25,
        minRadius=round(low),
        maxRadius=round(high),
    )
    if hough is not None:
        circles += [tuple(map(float, circle)) for circle in hough[0][:8]]
    return circles


def _candidates(mask: np.ndarray, dpi: float) -> list[_Candidate]:
    """Seal-sized circles with a ring of ink and something (not everything) inside."""
    px_per_mm = dpi / MM_PER_INCH
    low, high = (mm * px_per_mm / 2 for mm in SEAL_MM)
    found = []
    for cx, cy, radius in _circles(mask, low, high):
        inside = _inside_share(mask, cx, cy, radius)
        if not INSIDE[0] <= inside <= INSIDE[1]:
            continue
        ring = _ring_coverage(mask, cx, cy, radius)
        box = (round(cx - radius), round(cy - radius), round(2 * radius), round(2 * radius))
        found.append(_Candidate(ring=ring, box=box))
    return found


def _crop(rgb: np.ndarray, box) -> bytes:
    x, y, w, h = box
    margin = round(w * CROP_MARGIN)
    height, width = rgb.shape[:2]
    part = rgb[
        max(0, y - margin) : min(height, y + h + margin),
        max(0, x - margin) : min(width, x + w + margin),
    ]
    ok, png = cv2.imencode(".png", cv2.cvtColor(part, cv2.COLOR_RGB2BGR))
    return png.tobytes() if ok else b""


def _page_pixels(page, dpi: float) -> np.ndarray:
    """The page drawn as RGB pixels (pdfium scales a 300 dpi scan down as it draws)."""
    return np.asarray(page.render(scale=dpi / 72).to_pil().convert("RGB"))


def search_page(rgb: np.ndarray, dpi: float = SEARCH_DPI) -> tuple[SealState, tuple | None]:
    """One page's verdict and the box of the best mark (in the page's pixels)."""
    hsv = cv2.cvtColor(rgb, cv2.COLOR_RGB2HSV)
    coloured = np.count_nonzero(hsv[:, :, 1] >= INK_SATURATION) / hsv[:, :, 1].size
    if coloured >= COLOURED_SHARE:
        best = max(_candidates(_red_mask(hsv), dpi), key=lambda c: c.ring, default=None)
        if best and best.ring >= RING_FOUND:
            return SealState.FOUND, best.box
        if best and best.ring >= RING_UNCERTAIN:
            return SealState.UNCERTAIN, best.box
        return SealState.NOT_FOUND, None
    # No colour at all: a black-and-white scan. A ring-shaped dark mark may be the seal, but red
    # cannot be confirmed.
    dark = (hsv[:, :, 2] < DARK_VALUE).astype(np.uint8) * 255
    best = max(_candidates(dark, dpi), key=lambda c: c.ring, default=None)
    if best and best.ring >= RING_FOUND:
        return SealState.UNCERTAIN, best.box
    return SealState.NOT_FOUND, None


def check_seal(pdf: bytes, *, dpi: float = SEARCH_DPI) -> SealResult:
    """The first page with a seal found; else the first uncertain one; else not found. A PDF
    pdfium cannot draw (it did open for pypdf on upload) is "uncertain": a person must look."""
    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError:
        return SealResult(SealState.UNCERTAIN)
    uncertain = None
    try:
        for number, page in enumerate(document, start=1):
            rgb = _page_pixels(page, dpi)
            state, box = search_page(rgb, dpi)
            if state is SealState.FOUND:
                return SealResult(state, number, _crop(rgb, box))
            if state is SealState.UNCERTAIN and uncertain is None:
                uncertain = SealResult(state, number, _crop(rgb, box))
    finally:
        document.close()
    return uncertain or SealResult(SealState.NOT_FOUND)
