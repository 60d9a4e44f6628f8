"""The names a field goes by: its key, the label the official form prints, and that label as
people type it back into Word or WPS.

The official form (``documents/docx.py``) prints each ``FieldSpec.label`` verbatim beside its
value. The API takes a field by its key or by that label (``keys_by_name``); a filled form read
back (``documents/reading_docx.py``) matches labels as typed (``keys_by_printed_label``): WPS
spaces the characters of a short label out (“姓　　名”), writes full-width colons and quotes, and
people leave a label's bracketed note (“（不超过 1000 字）”) off.
"""

import re
import unicodedata

_SPACES_AND_MARKS = re.compile(r"[\s\"'“”‘’「」『』*＊_＿]+")
_NOTE = re.compile(r"[（(][^）)]*[）)]")


def keys_by_name(fields) -> dict[str, str]:
    """Each field's key by its label and by its key (what a script may name it by)."""
    return {field.label: field.key for field in fields} | {field.key: field.key for field in fields}


def label_key(text: str) -> str:
    """A label as compared: full-width forms folded (NFKC), no spaces, quotes or colon."""
    folded = _SPACES_AND_MARKS.sub("", unicodedata.normalize("NFKC", text or ""))
    return folded.strip(":").lower()


def keys_by_printed_label(fields) -> dict[str, str]:
    """Each field's key by its printed label as compared (``label_key``), and by that label
    without its bracketed note where no other field's label reads the same."""
    fields = list(fields)
    found = {label_key(field.label): field.key for field in fields}
    short = {}
    for field in fields:
        name = label_key(_NOTE.sub("", field.label))
        if name and name not in found:
            short.setdefault(name, set()).add(field.key)
    found |= {name: next(iter(keys)) for name, keys in short.items() if len(keys) == 1}
    return found
