"""Addresses in parts stored before the official template get their level endings back.

Until then the form showed each level's word (“市”) after its box without storing it, so a clerk
who typed “南宁” in the 市 box stored “南宁” and the service point was named
“广西壮族自治区南宁武鸣区…”. Now each part is stored as that level's full name
(``campaigns/kinds/address.py``). Each stored value is read again:

- a part missing the ending of a level that allows only one (市) gets it;
- a value that still does not read (a one-line name, everything typed in one box, a part whose
  level allows several endings and has none) is split on the levels' endings where the whole
  name splits into exactly its levels (“…自治区…市…区…镇…社区”);
- what cannot be read is kept as it was: the unit's form marks it for the clerk to choose the
  endings (a one-line value is shown with a request to fill the levels), nothing is guessed.

The nomination's name (lists, file names, matching) is made again from the value. The endings
are copied here, not imported, so this migration reads the same whatever the kind becomes.
Reversing it changes nothing: the full names are what the older code would have shown anyway.
"""

import re

from django.db import migrations

ENDINGS = {
    "省（区、市）": ("省", "自治区", "市"),
    "市": ("市",),
    "县（区）": ("县", "区", "自治县", "市"),
    "街道（乡镇）": ("街道", "镇", "乡"),
    "社区（村）": ("社区", "村"),
}
ALSO_TYPED = {
    "省（区、市）": ("特别行政区",),
    "市": ("自治州", "地区", "盟"),
    "县（区）": ("旗", "自治旗", "林区", "特区"),
}


def _ends_well(text, endings):
    return any(text.endswith(ending) and text != ending for ending in endings)


def _split(whole, levels):
    """The parts of a whole name, each ending with one of its level's endings, or None."""
    if not all(endings for _key, endings in levels):
        return None
    pattern = "".join(
        "(.+?(?:{}))".format("|".join(map(re.escape, sorted(endings, key=len, reverse=True))))
        for _key, endings in levels
    )
    found = re.fullmatch(pattern, "".join(whole.split()))
    return (
        dict(zip([key for key, _endings in levels], found.groups(), strict=True)) if found else None
    )


def read_again(parts, value):
    """The value of an address field in parts, read again (see the module's docstring)."""
    levels = [
        (part["key"], ENDINGS.get(part["label"], ()) + ALSO_TYPED.get(part["label"], ()))
        for part in parts
    ]
    if isinstance(value, str):
        return _split(value, levels) or value
    if not isinstance(value, dict):
        return value
    labels = {part["key"]: part["label"] for part in parts}
    fixed, sure = {}, True
    for key, endings in levels:
        text = value.get(key)
        if not isinstance(text, str) or not text.strip():
            continue
        text = " ".join(text.split())
        only = ENDINGS.get(labels[key], ())
        if len(only) == 1 and not any(text.endswith(ending) for ending in endings):
            text += only[0]
        sure = sure and (not endings or _ends_well(text, endings))
        fixed[key] = text
    if sure:
        return fixed
    whole = "".join(str(value.get(key) or "") for key, _endings in levels)
    return _split(whole, levels) or fixed


def _line(parts, value):
    if isinstance(value, dict):
        return "".join(value.get(part["key"], "") for part in parts)
    return "" if value is None else " ".join(str(value).split())


def read_addresses_again(apps, schema_editor):
    from tuixuan.common.text import normalise_name  # noqa: PLC0415 — the same matching key as saving

    FieldSpec = apps.get_model("campaigns", "FieldSpec")
    Nomination = apps.get_model("nominations", "Nomination")
    for spec in FieldSpec.objects.filter(kind="address").select_related("category"):
        parts = (spec.options or {}).get("parts") or []
        if not parts:
            continue
        names_it = spec.category.name_field == spec.key
        for nomination in Nomination.objects.filter(category_id=spec.category_id).iterator():
            if spec.key not in (nomination.values or {}):
                continue
            value = read_again(parts, nomination.values[spec.key])
            if value == nomination.values[spec.key]:
                continue
            nomination.values[spec.key] = value
            fields = ["values"]
            if names_it:
                nomination.name = _line(parts, value)[:300]
                nomination.normalised_name = normalise_name(nomination.name)
                fields += ["name", "normalised_name"]
            nomination.save(update_fields=fields)


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0006_campaign_layout"),
        ("nominations", "0005_make_form_copies"),
    ]

    operations = [
        migrations.RunPython(read_addresses_again, migrations.RunPython.noop, elidable=True),
    ]
