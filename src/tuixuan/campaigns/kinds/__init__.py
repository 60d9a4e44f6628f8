"""Field kinds: one class per kind of value a campaign file's field may hold.

``of(spec)`` gives the kind of a FieldSpec (or a list item's FieldDef); the kind cleans, draws
and shows the field's values (see ``base.Kind``). Every module of this package is imported here,
and subclassing ``Kind`` registers a kind, so a new kind is one new module (plus its choice on
``FieldKind`` and the migration that adds it).
"""

import importlib
import pkgutil

from .base import REGISTRY, ExcelCell, FieldDef, FieldError, Kind, is_empty

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "REGISTRY",
    "ExcelCell",
    "FieldDef",
    "FieldError",
    "Kind",
    "clean_value",
    "clean_values",
    "is_filled",
    "of",
    "with_trait",
]


def of(field) -> Kind:
    """The kind of ``field`` (a FieldSpec, a FieldDef, or a list item's dict), bound to it."""
    if isinstance(field, dict):
        field = FieldDef(**{"required": True, **field})
    elif not isinstance(field, FieldDef):
        field = FieldDef.of(field)
    return REGISTRY[field.kind](field)


def with_trait(trait) -> frozenset:
    """The kinds (their stored values) the rule engine may check for ``trait``."""
    return frozenset(value for value, kind in REGISTRY.items() if trait in kind.traits)


def clean_values(fields, raw: dict) -> tuple[dict, dict[str, str]]:
    """Clean every field's value; returns (values, errors by field key).

    Keys in ``raw`` that are not fields of the category are ignored, never stored.
    """
    values, errors = {}, {}
    for field in fields:
        kind = of(field)
        try:
            value = kind.clean_value(raw.get(kind.field.key))
        except FieldError as error:
            errors[kind.field.key] = kind.named(error)
        else:
            if value is not None:
                values[kind.field.key] = value
    return values, errors


def clean_value(field, raw):
    return of(field).clean_value(raw)


def is_filled(value) -> bool:
    return not is_empty(value)
