"""Lists: one item per line (活动名称), or rows of columns (a team's name, leader, phone, 注册)."""

import re

from django.utils.translation import gettext as _

from .base import FieldDef, FieldError, Kind, clean_text, excel_text, is_empty

LIST_MAX_ITEMS = 200
SPARE_ROWS = 2  # empty rows offered below a list's filled ones
MAX_ROWS = 60


def split_items(raw) -> list:
    """A list from JSON, or from text with one item per line (or separated by 、，;)."""
    if isinstance(raw, str):
        raw = re.split(r"[\n、,，;；]+", raw)
    if not isinstance(raw, list | tuple):
        raise FieldError(_("应填写一项或多项。"))
    items = [item for item in raw if not is_empty(item)]
    if len(items) > LIST_MAX_ITEMS:
        raise FieldError(_("最多填写%(most)s项。") % {"most": LIST_MAX_ITEMS})
    return items


class List(Kind):
    value = "list"
    traits = frozenset({"countable", "registration"})
    options_read = frozenset({"items"})
    excel_width = 36
    excel_wrap = True
    template_name = "campaigns/kinds/textarea.html"
    rows = 4

    def __init__(self, field):
        super().__init__(field)
        # The kinds of a row's columns, each bound to its item (key, label, kind).
        self.columns = [self._column(item) for item in self.options.get("items", [])]
        self.personal = any(column.personal for column in self.columns)  # a leader's phone
        if self.columns:
            self.template_name = "campaigns/kinds/rows.html"

    def json_example(self):
        """A list of text, or of rows: one object per row, each column by its key."""
        if not self.columns:
            return [super().json_example()]
        return [{column.field.key: column.json_example() for column in self.columns}]

    @staticmethod
    def _column(item) -> Kind:
        from . import of  # noqa: PLC0415 — the registry imports this module first

        return of(FieldDef(item["key"], item["label"], item["kind"]))

    def clean(self, raw):
        if not self.columns:
            return [clean_text(item) for item in split_items(raw)]
        if not isinstance(raw, list | tuple):
            raise FieldError(_("应填写一项或多项。"))
        cleaned = []
        for number, item in enumerate(split_items(list(raw)), start=1):
            if not isinstance(item, dict):
                raise FieldError(_("第%(number)s项格式不正确。") % {"number": number})
            row = {}
            for column in self.columns:
                try:
                    found = column.clean_value(item.get(column.field.key))
                except FieldError as error:
                    raise FieldError(
                        _("第%(number)s项%(error)s")
                        % {"number": number, "error": column.named(error)}
                    ) from None
                if found is not None:
                    row[column.field.key] = found
            cleaned.append(row)
        return cleaned

    def show(self, value) -> str:
        if not self.columns:
            return "\n".join(f"{n}. {item}" for n, item in enumerate(value, start=1))
        lines = []
        for n, row in enumerate(value, start=1):
            parts = [column.cell_text(row.get(column.field.key)) for column in self.columns]
            lines.append(f"{n}. " + " · ".join(part for part in parts if part))
        return "\n".join(lines)

    def excel_input(self, value):
        """One item (one row) a line; a row's columns separated by “|”."""
        if not isinstance(value, list):
            return self.text(value)
        if not self.columns:
            return "\n".join(str(item) for item in value)
        return "\n".join(
            " | ".join(
                str(column.excel_input(row.get(column.field.key)) or "") for column in self.columns
            )
            for row in value
        )

    def from_excel(self, cell, number_format=None):
        text = excel_text(cell)
        if not self.columns or not isinstance(text, str) or not text.strip():
            return text
        rows = []
        for line in text.splitlines():
            if not line.strip():
                continue
            cells = [part.strip() for part in re.split(r"[|｜]", line)]
            if len(cells) > len(self.columns):
                raise FieldError(
                    _("第%(number)s项的栏数多于%(count)s（%(labels)s，以“|”分隔）。")
                    % {
                        "number": len(rows) + 1,
                        "count": len(self.columns),
                        "labels": "|".join(c.field.label for c in self.columns),
                    }
                )
            rows.append(
                {
                    column.field.key: column.from_excel(part)
                    for column, part in zip(self.columns, cells, strict=False)
                }
            )
        return rows

    def line(self, value) -> str:
        return "、".join(str(item) for item in value) if isinstance(value, list) else str(value)

    def counted(self, value) -> list:
        """What a "min_count" rule counts: the items."""
        return value

    def registrations(self, value) -> list[tuple[str, dict | None]]:
        """(who, registration) for each row, when the rows have a 大美志愿 column."""
        column = next((c for c in self.columns if "registration" in c.traits), None)
        if column is None:
            return []
        name_key = self.columns[0].field.key
        return [
            (
                row.get(name_key) or _("第%(number)s项") % {"number": number},
                row.get(column.field.key),
            )
            for number, row in enumerate(value, start=1)
        ]

    def label_for(self) -> bool:
        return not self.columns

    def raw_from(self, data, name):
        if not self.columns:
            return data.get(name, "")
        rows = []
        for index in range(MAX_ROWS):
            prefix = f"{name}__{index}"
            if any(key.startswith(prefix + "__") for key in data):
                rows.append(
                    {
                        column.field.key: column.raw_from(data, f"{prefix}__{column.field.key}")
                        for column in self.columns
                    }
                )
        return rows

    def widget_context(self, name, value) -> dict:
        context = super().widget_context(name, value)
        if not self.columns:
            if isinstance(value, list):
                context["value"] = "\n".join(value)
            return {**context, "rows": self.rows}
        filled = value if isinstance(value, list) else []
        context["rows"] = [
            {
                "index": index,
                "cells": [
                    column.cell_context(
                        f"{name}__{index}__{column.field.key}",
                        (row if isinstance(row, dict) else {}).get(column.field.key),
                    )
                    for column in self.columns
                ],
            }
            for index, row in enumerate([*filled, *([{}] * SPARE_ROWS)])
        ]
        return context
