"""The API's one entry point: /api/v1/, its OpenAPI schema and its docs page (no CDN)."""

from ninja import NinjaAPI, Swagger
from ninja.renderers import JSONRenderer

from . import errors
from .auth import TOKEN_OR_SESSION
from .routers import campaigns, documents, exemplars, nominations, office, photos, reviews, tokens


class Utf8JSONRenderer(JSONRenderer):
    """Chinese as itself, not as \\u escapes: readable in curl and in logs (JSON is UTF-8)."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="推选 · 科技志愿服务先进典型推选接口",
    version="1",
    description=(
        "与网页同一套业务规则：推荐条件、名额、截止时间和权限均由同一服务层检查。"
        "错误以 JSON 返回，含规则编号（rule_id）、字段（field）和中文说明（message）。"
        "脚本使用个人API令牌（Authorization: Bearer …），浏览器使用登录会话。"
    ),
    urls_namespace="api",
    auth=TOKEN_OR_SESSION,
    renderer=Utf8JSONRenderer(),
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): never a CDN, and
    # no validator badge (Swagger UI would otherwise send the schema to validator.swagger.io).
    docs=Swagger(settings={"persistAuthorization": True, "validatorUrl": None}),
)
errors.install(api)
api.add_router("/campaigns/", campaigns.router)
api.add_router("/nominations/", nominations.router)
api.add_router("/nominations/", photos.router)
api.add_router("/nominations/", documents.router)
api.add_router("/office/", office.router)
api.add_router("/reviews/", reviews.router)
api.add_router("/exemplars/", exemplars.router)
api.add_router("/tokens/", tokens.router)
