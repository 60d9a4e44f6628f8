"""Who the caller is: the first call of a script, to learn its unit codes and roles."""

from django.utils.translation import gettext_lazy as _
from ninja import Router

from tuixuan.units.models import RoleKind

from ..auth import TOKEN_OR_SESSION
from ..common import refusals
from ..schemas import MeOut

router = Router(tags=[_("调用者")], auth=TOKEN_OR_SESSION)


@router.get(
    "",
    response={200: MeOut, **refusals()},
    summary=_("我的账号：所属推荐单位与角色"),
    description=_("新建推荐时 unit 填这里的单位代码；只属于一个推荐单位时可不填。"),
)
def me(request):
    user = request.auth
    roles = user.roles.select_related("campaign", "unit").order_by("kind", "pk")
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "units": [role.unit for role in roles if role.kind == RoleKind.UNIT_MEMBER],
        "roles": [
            {
                "kind": role.kind,
                "kind_label": role.get_kind_display(),
                "campaign": role.campaign.key if role.campaign else None,
                "unit": role.unit.code if role.unit else None,
            }
            for role in roles
        ],
    }
