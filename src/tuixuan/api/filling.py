"""What a script sends to fill in a nomination, read as the unit's form would be.

A script may name a field by its key (``name``) or by the label printed on the official form
(``姓名``); anything else is refused naming it, never silently dropped (a draft that looks saved
but is empty). A caller who acts for one unit need not name it.
"""

from django.utils.translation import gettext

from tuixuan.campaigns.labels import keys_by_name
from tuixuan.common.exceptions import Refused
from tuixuan.units.models import RecommendingUnit, RoleKind


def values_by_key(category, values: dict) -> dict:
    """``values`` with every field named by its key; 422 naming each key that is no field of
    ``category`` (with the keys it has), or a field named twice (by key and by label)."""
    fields = list(category.fields.all())
    keys = keys_by_name(fields)
    unknown = [name for name in values if name not in keys]
    if unknown:
        message = gettext("“%(category)s”没有这些字段：%(unknown)s。可用的字段：%(keys)s。")
        message %= {
            "category": category.name,
            "unknown": ", ".join(unknown),
            "keys": ", ".join(field.key for field in fields),
        }
        raise Refused(message, field="values", errors={f"values.{n}": message for n in unknown})
    by_key = {}
    for name, value in values.items():
        key = keys[name]
        if key in by_key:
            message = gettext("字段“%(key)s”填写了两次（按标识和按名称）。") % {"key": key}
            raise Refused(message, field=f"values.{key}", errors={f"values.{key}": message})
        by_key[key] = value
    return by_key


def unit_for(user, code):
    """The unit ``code``, or the caller's only unit when no code is given; 422 naming the field
    (and the caller's units to choose from) otherwise."""
    if code:
        unit = RecommendingUnit.objects.filter(code=code).first()
        if unit is None:
            raise Refused(gettext("没有找到该推荐单位。"), field="unit")
        return unit
    mine = list(
        RecommendingUnit.objects.filter(
            roles__user=user, roles__kind=RoleKind.UNIT_MEMBER
        ).distinct()
    )
    if len(mine) == 1:
        return mine[0]
    if not mine:
        raise Refused(gettext("您不是任何推荐单位的经办人，不能新建推荐。"), field="unit")
    codes = ", ".join(unit.code for unit in mine)
    message = gettext("您是多个推荐单位的经办人，请用 unit 指明其一：%(codes)s。")
    raise Refused(message % {"codes": codes}, field="unit")
