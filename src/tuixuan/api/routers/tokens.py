"""Personal API tokens: the logged-in user creates, lists and revokes their own.

Only the browser's session may manage tokens: a token cannot mint further tokens, so revoking
one always ends what a leaked secret can do.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Router, Status

from tuixuan.common.audit import describe_actions, record

from ..auth import session_auth
from ..common import found, refusals
from ..models import ApiToken
from ..schemas import ErrorOut, NewTokenOut, TokenIn, TokenOut

router = Router(tags=[_("API令牌")], auth=session_auth)
describe_actions({"api_token.create": _("创建API令牌"), "api_token.revoke": _("撤销API令牌")})


@router.get("/", response={200: list[TokenOut], 401: ErrorOut}, summary=_("我的API令牌"))
def list_tokens(request):
    return ApiToken.objects.filter(user=request.auth)


@router.post(
    "/",
    response={201: NewTokenOut, **refusals(400, 403)},
    summary=_("创建API令牌"),
    description=_("返回的 token 仅显示这一次；系统只保存其 SHA-256 摘要。"),
)
def create_token(request, payload: TokenIn):
    token, secret = ApiToken.issue(request.auth, payload.name.strip())
    record("api_token.create", actor=request.auth, token=token.pk, prefix=token.prefix)
    return Status(201, {**TokenOut.from_orm(token).model_dump(), "token": secret})


@router.delete(
    "/{token_id}",
    response={200: TokenOut, **refusals(403, 404)},
    summary=_("撤销API令牌"),
)
def revoke_token(request, token_id: int):
    token = found(ApiToken.objects.filter(user=request.auth), _("没有找到该令牌。"), pk=token_id)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record("api_token.revoke", actor=request.auth, token=token.pk, prefix=token.prefix)
    return token
