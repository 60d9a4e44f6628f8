"""The API's one entry point: /api/v1/, its OpenAPI schema and its docs page (no CDN)."""

from functools import wraps

from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger

from . import errors
from .auth import TOKEN_OR_SESSION
from .common import RENDERER
from .routers import (
    batch,
    campaigns,
    chain,
    documents,
    exemplars,
    me,
    nominations,
    office,
    photos,
    reviews,
    selection,
    tokens,
    word_forms,
)

# What any operation may answer, whatever it does: a body refused before the operation reads it
# (400 unreadable, 413 too large, 415 unknown character set) or a defect (500, still JSON).
COMMON_ERRORS = {
    "400": _("请求内容无法读取（格式不正确、不完整，或 GET 请求带了请求内容）"),
    "413": _("请求内容超过允许的上传大小"),
    "415": _("不支持的字符集"),
    "500": _("服务器内部错误"),
}
SESSION_WRITE_ERRORS = {
    "401": _("未登录或API令牌无效"),
    "403": _("没有权限，或浏览器会话缺少CSRF令牌"),
}


def in_callers_language(view):
    """Answer in the language the caller asks for: the footer's choice (the language cookie) if
    a browser made one, else the request's Accept-Language, else Chinese.

    The pages ignore Accept-Language (``common.middleware.ChosenLanguageMiddleware``) because a
    visitor switches in the footer; a script has no footer, and Accept-Language is how HTTP asks.
    Wraps each operation (errors included) and the schema and docs views.
    """

    @wraps(view)
    def answered(request, *args, **kwargs):
        language = translation.get_language_from_request(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response["Content-Language"] = language
        patch_vary_headers(response, ["Accept-Language", "Cookie"])  # for any cache on the way
        return response

    return answered


class TuixuanAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs):
        """The generated schema, with the answers every operation shares declared on each, so
        that a client (and schemathesis's response checks) can rely on the error body."""
        schema = super().get_openapi_schema(**kwargs)
        error = {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                shared = dict(COMMON_ERRORS)
                if operation.get("security") and method != "get":
                    shared.update(SESSION_WRITE_ERRORS)
                responses = operation["responses"]
                for status, description in shared.items():
                    responses.setdefault(
                        int(status), {"description": description, "content": error}
                    )
        return schema


api = TuixuanAPI(
    title=_("推选 · 科技志愿服务先进典型推选接口"),
    version="1",
    description=_(
        "与网页同一套业务规则：推荐条件、名额、截止时间和权限均由同一服务层检查。"
        "错误以 JSON 返回，含规则编号（rule_id）、字段（field）和说明（message）。"
        "脚本使用个人API令牌（Authorization: Bearer …），浏览器使用登录会话。"
        "说明默认为中文；请求头 Accept-Language: en 时为英文。"
    ),
    urls_namespace="api",
    auth=TOKEN_OR_SESSION,
    renderer=RENDERER,
    parser=errors.ObjectParser(),
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS): never a CDN, and
    # no validator badge (Swagger UI would otherwise send the schema to validator.swagger.io).
    docs=Swagger(settings={"persistAuthorization": True, "validatorUrl": None}),
    docs_decorator=in_callers_language,
)
api.add_decorator(in_callers_language, mode="view")
errors.install(api)
api.add_router("/campaigns/", campaigns.router)
api.add_router("/nominations/", word_forms.router)  # before "/{uid}" takes "from-docx"
api.add_router("/nominations/", batch.router)  # before "/{uid}": its paths are not uids
api.add_router("/nominations/", nominations.router)
api.add_router("/nominations/", photos.router)
api.add_router("/nominations/", documents.router)
api.add_router("/office/", office.router)
api.add_router("/office/", selection.router)
api.add_router("/office/", chain.router)
api.add_router("/reviews/", reviews.router)
api.add_router("/exemplars/", exemplars.router)
api.add_router("/tokens/", tokens.router)
api.add_router("/me", me.router)
