"""The seal search on stamped scans: found where an official red seal is, "uncertain" on a
black-and-white scan of one, and never "found" on red handwriting or a red heading."""

import io

import numpy as np
import pytest
from PIL import Image

from tests.fixtures.scans import Page, scan_pdf
from tuixuan.documents.seal import SealState, check_seal


@pytest.mark.parametrize(
    "page",
    [
        Page(dpi=150, seal="red", quality=85),
        Page(dpi=300, seal="red", rotation=17, fade=0.35, quality=55, seal_mm=40),
        Page(dpi=150, seal="red", rotation=-41, fade=0.55, quality=45, red_handwriting=True),
    ],
    ids=["fresh-150dpi", "rotated-faded-300dpi", "weak-beside-red-signature"],
)
def test_a_stamped_page_is_found_with_a_crop_of_the_seal(page):
    result = check_seal(scan_pdf([page]))
    assert (result.state, result.page) == (SealState.FOUND, 1)
    crop = Image.open(io.BytesIO(result.crop))
    pixels = np.asarray(crop.convert("RGB")).astype(int)
    red = np.count_nonzero((pixels[:, :, 0] - pixels[:, :, 1] > 40) & (pixels[:, :, 0] > 150))
    # The crop shows the seal: a square about the seal's size, with red in it.
    assert 0.8 < crop.width / crop.height < 1.25 and red > 100


def test_the_page_holding_the_seal_is_named():
    pdf = scan_pdf([Page(seed=1), Page(red_heading=True, seed=2), Page(seal="red", seed=3)])
    assert (check_seal(pdf).state, check_seal(pdf).page) == (SealState.FOUND, 3)


@pytest.mark.parametrize(
    "page, expected",
    [
        (Page(red_handwriting=True, seed=4), SealState.NOT_FOUND),
        (Page(red_heading=True, red_handwriting=True, dpi=300, seed=5), SealState.NOT_FOUND),
        (Page(seal="grey", colour=False, rotation=8), SealState.UNCERTAIN),
        (Page(colour=False, seed=6), SealState.NOT_FOUND),
        (Page(form_text=False), SealState.NOT_FOUND),
    ],
    ids=["red-signature", "red-heading", "black-and-white-seal", "black-and-white-form", "blank"],
)
def test_red_text_is_no_seal_and_a_grey_seal_cannot_be_confirmed(page, expected):
    result = check_seal(scan_pdf([page]))
    assert result.state == expected
    assert (result.page is None) == (expected == SealState.NOT_FOUND)
