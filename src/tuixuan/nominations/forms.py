"""The nomination form, generated from the campaign's field specs.

Two directions, one field-naming scheme: ``widgets()`` turns stored (or just-posted) values into
what the templates draw, and ``raw_from_post()`` turns the posted form back into the raw values that
``campaigns.fields.clean_values`` cleans, the same function the API and the services use. On a bad
value the page is drawn again from what was posted, so nothing typed is lost.

Names: ``key`` for simple fields; ``key__part`` for address parts; ``key__registered`` and
``key__number`` for a registration; ``key__other`` for free-text choices; ``key__3__name`` for item
``name`` of row 3 of a list (and ``key__3__registration__number`` inside it).
"""

from itertools import groupby

from tuixuan.campaigns.fields import yes_or_no
from tuixuan.campaigns.models import FieldKind

SEP = "__"
SPARE_ROWS = 2  # empty rows offered below a list's filled ones
MAX_ROWS = 60


def raw_from_post(fields, data) -> dict:
    raw = {}
    for spec in fields:
        raw[spec.key] = _raw_value(spec.key, spec.kind, spec.options or {}, data)
    return raw


def _raw_value(name, kind, options, data):
    if kind == FieldKind.ADDRESS and options.get("parts"):
        return {part["key"]: data.get(f"{name}{SEP}{part['key']}", "") for part in options["parts"]}
    if kind == FieldKind.REGISTRATION:
        return {
            "registered": data.get(f"{name}{SEP}registered", ""),
            "number": data.get(f"{name}{SEP}number", ""),
        }
    if kind == FieldKind.CHOICE and options.get("allow_other"):
        other = data.get(f"{name}{SEP}other", "")
        return other if other.strip() else data.get(name, "")
    if kind == FieldKind.MULTI_CHOICE:
        chosen = list(data.getlist(name))
        other = data.get(f"{name}{SEP}other", "")
        return chosen + ([other] if other.strip() else [])
    if kind == FieldKind.LIST and options.get("items"):
        rows = []
        for index in range(MAX_ROWS):
            prefix = f"{name}{SEP}{index}"
            if not any(key.startswith(prefix + SEP) for key in data):
                continue
            rows.append(
                {
                    item["key"]: _raw_value(f"{prefix}{SEP}{item['key']}", item["kind"], {}, data)
                    for item in options["items"]
                }
            )
        return rows
    return data.get(name, "")


def widgets(fields, values, errors=None) -> list[dict]:
    """Groups of fields, each field with its name, value, error and kind-specific parts."""
    errors = errors or {}
    drawn = [_widget(spec, values.get(spec.key), errors.get(spec.key, "")) for spec in fields]
    return [
        {"title": title, "fields": list(members)}
        for title, members in groupby(drawn, key=lambda widget: widget["group"])
    ]


def _widget(spec, value, error) -> dict:
    options = spec.options or {}
    widget = {
        "key": spec.key,
        "name": spec.key,
        "label": spec.label,
        "kind": spec.kind,
        "required": spec.required,
        "help": spec.help_text,
        "group": spec.group,
        "error": error,
        "value": "" if value is None else value,
        "max_chars": options.get("max_chars"),
    }
    if spec.kind == FieldKind.ADDRESS and options.get("parts"):
        value = value if isinstance(value, dict) else {}
        widget["parts"] = [
            {**part, "name": f"{spec.key}{SEP}{part['key']}", "value": value.get(part["key"], "")}
            for part in options["parts"]
        ]
    elif spec.kind == FieldKind.REGISTRATION:
        widget["registration"] = _registration(spec.key, value)
    elif spec.kind in (FieldKind.CHOICE, FieldKind.MULTI_CHOICE):
        chosen = value if isinstance(value, list) else ([value] if value else [])
        listed = options.get("choices", [])
        widget["choices"] = [{"value": c, "checked": c in chosen} for c in listed]
        widget["other"] = "、".join(c for c in chosen if c not in listed)
        widget["allow_other"] = options.get("allow_other", False)
    elif spec.kind == FieldKind.LIST and options.get("items"):
        rows = value if isinstance(value, list) else []
        widget["rows"] = [
            _row(spec.key, index, options["items"], row if isinstance(row, dict) else {})
            for index, row in enumerate([*rows, *([{}] * SPARE_ROWS)])
        ]
        widget["items"] = options["items"]
    elif spec.kind == FieldKind.LIST:
        widget["value"] = "\n".join(value) if isinstance(value, list) else widget["value"]
    return widget


def _row(key, index, items, row) -> dict:
    cells = []
    for item in items:
        name = f"{key}{SEP}{index}{SEP}{item['key']}"
        cell = {**item, "name": name, "value": row.get(item["key"], "")}
        if item["kind"] == FieldKind.REGISTRATION:
            cell["registration"] = _registration(name, row.get(item["key"]))
        cells.append(cell)
    return {"index": index, "cells": cells}


def _registration(name, value) -> dict:
    value = value if isinstance(value, dict) else {}
    answer = value.get("registered", "")
    flag = None if answer == "" else yes_or_no(answer)
    return {
        "name": f"{name}{SEP}registered",
        "number_name": f"{name}{SEP}number",
        "yes": flag is True,
        "no": flag is False,
        "number": value.get("number", ""),
    }
