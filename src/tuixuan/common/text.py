"""Text measures and name normalisation shared by the rule engine, the forms and the importers."""

import re
import unicodedata
from functools import cache

import opencc

_WHITESPACE = re.compile(r"\s+")


def count_chars(text: str) -> int:
    """Count 字 the way the notice means it: every character but whitespace; punctuation counts.

    Full-width spaces (U+3000), tabs and newlines are whitespace too.
    """
    return len(_WHITESPACE.sub("", text or ""))


@cache
def _t2s():
    return opencc.OpenCC("t2s")


def normalise_name(name: str) -> str:
    """A name reduced to what identifies a person or organisation across forms.

    NFKC folds full-width letters and digits to their ordinary forms, whitespace goes (Chinese names
    are often typed with a space between surname and given name), case is folded, and traditional
    characters become simplified through OpenCC.
    """
    folded = unicodedata.normalize("NFKC", name or "")
    folded = _WHITESPACE.sub("", folded).casefold()
    # U+00B7 and its look-alikes separate parts of transliterated names: one form for all.
    folded = re.sub(r"[·•‧・]", "·", folded)
    return _t2s().convert(folded)
