"""Every refusal as JSON: ``{"rule_id", "field", "message", "errors"}``, in Chinese.

422 for what the caller sent (a field of the wrong kind, a rule of the notice not met, a state
that does not allow the change), 401 without a valid login or token, 403 when the caller may see
but not do, 404 for what the caller may not see (another unit's nomination is "not found", so
nothing about it is revealed).
"""

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from tuixuan.common.exceptions import Refused, RulesNotMet
from tuixuan.common.requests import NUL_CHARACTER, nul_field
from tuixuan.common.views import SERVER_ERROR

from .schemas import report_out

NOT_LOGGED_IN = "请先登录，或在请求头中提供API令牌（Authorization: Bearer …）。"
CSRF_FAILED = "CSRF校验失败：通过浏览器会话修改数据时须带 X-CSRFToken 请求头。"
NOT_FOUND = "没有找到该资源。"
FORBIDDEN = "您没有权限进行此操作。"
INVALID_REQUEST = "请求内容有误，请按提示修改。"
NOT_JSON = "请求内容不是有效的JSON。"
NOT_AN_OBJECT = "请求内容应为JSON对象（{…}），不能是数组、字符串或数字。"
UNREADABLE_BODY = "请求内容无法读取：格式不正确或不完整，请检查 Content-Type 与请求内容是否一致。"

logger = logging.getLogger("tuixuan.api")


class NotAnObject(ValueError):
    """Private to ``ObjectParser``: django-ninja wraps what a parser raises in its own HttpError,
    and the handler below reads this cause back out. Never raised outside the API's parser, so it
    lives beside it rather than in ``common.exceptions``."""


class NulCharacter(ValueError):
    """Private to ``ObjectParser``, as ``NotAnObject``; names the field in the API's words."""

    def __init__(self, field):
        self.field = field
        super().__init__(NUL_CHARACTER.format(field=LABELS.get(field.split(".")[0], field)))


class ObjectParser(Parser):
    """Every operation's JSON body is an object (or null where the body is optional): an array or
    a number is refused as 400 here, rather than reaching the operation as "every field missing"."""

    def parse_body(self, request):
        data = super().parse_body(request)
        if data is not None and not isinstance(data, dict):
            raise NotAnObject(NOT_AN_OBJECT)
        if field := nul_field(data):
            raise NulCharacter(field)
        return data

    def parse_querydict(self, data, list_fields, request):
        """Query strings and form fields: a NUL character cannot be stored, so it is refused
        (422, naming the field) before any operation sees it."""
        result = super().parse_querydict(data, list_fields, request)
        if field := nul_field(result):
            raise NulCharacter(field)
        return result


# What the API's own parameters are called on the pages.
LABELS = {
    "campaign": "活动",
    "category": "类别",
    "unit": "推荐单位",
    "values": "填报内容",
    "reason": "理由",
    "name": "名称",
    "status": "状态",
    "limit": "每页条数",
    "offset": "起始位置",
    "body": "请求内容",
}

_MESSAGES = {
    "missing": "必须填写。",
    "dict_type": "应为对象（键值对）。",
    "model_type": "应为对象（键值对）。",
    "model_attributes_type": "应为对象（键值对）。",
    "string_type": "应填写文字。",
    "int_type": "应填写整数。",
    "int_parsing": "应填写整数。",
    "int_from_float": "应填写整数。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "uuid_type": "不是有效的编号。",
    "uuid_parsing": "不是有效的编号。",
    "json_invalid": "不是有效的JSON。",
    "list_type": "应为列表。",
}


def error_body(message, *, rule_id="", field="", errors=None, **extra):
    return {"rule_id": rule_id, "field": field, "message": message, "errors": errors or {}, **extra}


def _field_of(loc) -> str:
    """``("body", "payload", "values")`` → ``values``; ``("query", "limit")`` → ``limit``."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in {"body", "query", "path", "form", "header", "cookie", "file"}:
        source, parts = parts[0], parts[1:]
        if source in {"body", "form"} and len(parts) > 1:
            parts = parts[1:]  # the operation's parameter name, not what the caller wrote
    return ".".join(parts) or "body"


def _message_of(error) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in {"greater_than_equal", "greater_than"}:
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}。"
    if kind in {"less_than_equal", "less_than"}:
        return f"不能大于{ctx.get('le', ctx.get('lt'))}。"
    if kind == "string_too_long":
        return f"内容过长（不超过{ctx.get('max_length')}个字符）。"
    if kind == "string_too_short":
        return "必须填写。"
    if kind in {"enum", "literal_error"}:
        return f"应为以下之一：{ctx.get('expected', '')}。"
    return "格式不正确。"


def validation_errors(errors) -> dict[str, str]:
    out = {}
    for error in errors:
        field = _field_of(error.get("loc", ()))
        label = LABELS.get(field.split(".")[0], field)
        out.setdefault(field, f"“{label}”：{_message_of(error)}")
    return out


def install(api):
    @api.exception_handler(RulesNotMet)
    def rules_not_met(request, exc):
        body = error_body(
            exc.message, rule_id=exc.rule_id, field=exc.field, report=report_out(exc.report)
        )
        return api.create_response(request, body, status=422)

    @api.exception_handler(Refused)
    def refused(request, exc):
        body = error_body(exc.message, rule_id=exc.rule_id, field=exc.field, errors=exc.errors)
        return api.create_response(request, body, status=422)

    @api.exception_handler(ValidationError)
    def invalid(request, exc):
        errors = validation_errors(exc.errors)
        body = error_body(INVALID_REQUEST, field=next(iter(errors), ""), errors=errors)
        return api.create_response(request, body, status=422)

    @api.exception_handler(PermissionDenied)
    def forbidden(request, exc):
        return api.create_response(request, error_body(str(exc) or FORBIDDEN), status=403)

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return api.create_response(request, error_body(str(exc) or NOT_FOUND), status=404)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        message = exc.message if exc.message != "Unauthorized" else NOT_LOGGED_IN
        response = api.create_response(request, error_body(message), status=401)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request, exc):
        if isinstance(exc.__cause__, NulCharacter):
            return nul_character(request, exc.__cause__)
        if "CSRF" in exc.message:
            message = CSRF_FAILED
        elif isinstance(exc.__cause__, NotAnObject):
            message = NOT_AN_OBJECT
        elif exc.message.startswith("Cannot parse request body"):
            message = NOT_JSON
        else:
            message = exc.message
        return api.create_response(request, error_body(message), status=exc.status_code)

    @api.exception_handler(NulCharacter)
    def nul_character(request, exc):
        body = error_body(str(exc), field=exc.field, errors={exc.field: str(exc)})
        return api.create_response(request, body, status=422)

    @api.exception_handler(MultiPartParserError)
    @api.exception_handler(BadRequest)
    @api.exception_handler(SuspiciousOperation)
    def unreadable(request, exc):
        # Our own messages are Chinese; Django's are English and name internals.
        message = str(exc) if not str(exc).isascii() else UNREADABLE_BODY
        return api.create_response(request, error_body(message, field="body"), status=400)

    @api.exception_handler(Exception)
    def server_error(request, exc):
        """A defect: logged with its traceback, answered as JSON like every other error (never
        the debug page, whose traceback may show the values a caller sent)."""
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
        return api.create_response(request, error_body(SERVER_ERROR), status=500)
