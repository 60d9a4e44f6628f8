"""Every refusal as JSON: ``{"rule_id", "field", "message", "errors"}``, in the caller's language.

422 for what the caller sent (a field of the wrong kind, a rule of the notice not met, a state
that does not allow the change), 401 without a valid login or token, 403 when the caller may see
but not do, 404 for what the caller may not see (another unit's nomination is "not found", so
nothing about it is revealed).

The routers raise and never build an error answer: ``ANSWERS`` below maps each exception to its
status and body (django-ninja's exception handlers), so every operation refuses alike.
"""

import logging

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.parser import Parser

from tuixuan.common.exceptions import Refused, RulesNotMet
from tuixuan.common.phrases import named
from tuixuan.common.requests import NUL_CHARACTER, nul_field
from tuixuan.common.views import SERVER_ERROR

from .schemas import report_out

NOT_LOGGED_IN = _("请先登录，或在请求头中提供API令牌（Authorization: Bearer …）。")
CSRF_FAILED = _("CSRF校验失败：通过浏览器会话修改数据时须带 X-CSRFToken 请求头。")
NOT_FOUND = _("没有找到该资源。")
FORBIDDEN = _("您没有权限进行此操作。")
INVALID_REQUEST = _("请求内容有误，请按提示修改。")
NOT_JSON = _("请求内容不是有效的JSON。")
NOT_AN_OBJECT = _("请求内容应为JSON对象（{…}），不能是数组、字符串或数字。")
UNREADABLE_BODY = _(
    "请求内容无法读取：格式不正确或不完整，请检查 Content-Type 与请求内容是否一致。"
)

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
    "campaign": _("活动"),
    "category": _("类别"),
    "unit": _("推荐单位"),
    "values": _("填报内容"),
    "reason": _("理由"),
    "name": _("名称"),
    "status": _("状态"),
    "limit": _("每页条数"),
    "offset": _("起始位置"),
    "body": _("请求内容"),
}

AN_OBJECT = _("应为对象（键值对）。")
A_NUMBER = _("应填写整数。")
TRUE_OR_FALSE = _("应为 true 或 false。")
AN_ID = _("不是有效的编号。")
REQUIRED = _("必须填写。")
# pydantic's error types, by what the caller should do about them.
_MESSAGES = {
    "missing": REQUIRED,
    "string_too_short": REQUIRED,
    "dict_type": AN_OBJECT,
    "model_type": AN_OBJECT,
    "model_attributes_type": AN_OBJECT,
    "string_type": _("应填写文字。"),
    "int_type": A_NUMBER,
    "int_parsing": A_NUMBER,
    "int_from_float": A_NUMBER,
    "bool_type": TRUE_OR_FALSE,
    "bool_parsing": TRUE_OR_FALSE,
    "uuid_type": AN_ID,
    "uuid_parsing": AN_ID,
    "json_invalid": _("不是有效的JSON。"),
    "list_type": _("应为列表。"),
}
# The bounded ones: (message, the context key holding the bound).
_BOUNDS = {
    "greater_than_equal": (_("不能小于%(bound)s。"), "ge"),
    "greater_than": (_("不能小于%(bound)s。"), "gt"),
    "less_than_equal": (_("不能大于%(bound)s。"), "le"),
    "less_than": (_("不能大于%(bound)s。"), "lt"),
    "string_too_long": (_("内容过长（不超过%(bound)s个字符）。"), "max_length"),
    "enum": (_("应为以下之一：%(bound)s。"), "expected"),
    "literal_error": (_("应为以下之一：%(bound)s。"), "expected"),
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
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    if kind in _BOUNDS:
        message, key = _BOUNDS[kind]
        return message % {"bound": (error.get("ctx") or {}).get(key, "")}
    return gettext("格式不正确。")


def validation_errors(errors) -> dict[str, str]:
    out = {}
    for error in errors:
        field = _field_of(error.get("loc", ()))
        out.setdefault(field, named(LABELS.get(field.split(".")[0], field), _message_of(error)))
    return out


# Each exception, as (status, body) ----------------------------------------------------------


def _refused(exc):
    body = error_body(exc.message, rule_id=exc.rule_id, field=exc.field, errors=exc.errors)
    if isinstance(exc, RulesNotMet):
        body["report"] = report_out(exc.report)
    return 422, body


def _invalid(exc):
    errors = validation_errors(exc.errors)
    return 422, error_body(INVALID_REQUEST, field=next(iter(errors), ""), errors=errors)


def _unauthenticated(exc):
    return 401, error_body(NOT_LOGGED_IN if exc.message == "Unauthorized" else exc.message)


def _nul_character(exc):
    return 422, error_body(str(exc), field=exc.field, errors={exc.field: str(exc)})


def _http_error(exc):
    """django-ninja's own refusals (CSRF, an unparseable body), reworded; a parser's cause
    (``NotAnObject``, ``NulCharacter``) answered as itself."""
    cause = exc.__cause__
    if isinstance(cause, NulCharacter):
        return _nul_character(cause)
    if "CSRF" in exc.message:
        message = CSRF_FAILED
    elif isinstance(cause, NotAnObject):
        message = NOT_AN_OBJECT
    elif exc.message.startswith("Cannot parse request body"):
        message = NOT_JSON
    else:
        message = exc.message
    return exc.status_code, error_body(message)


def _unreadable(exc):
    # Our own messages are Chinese; Django's are English and name internals.
    return 400, error_body(UNREADABLE_BODY if str(exc).isascii() else str(exc), field="body")


ANSWERS = [
    ((Refused,), _refused),
    ((ValidationError,), _invalid),
    ((PermissionDenied,), lambda exc: (403, error_body(str(exc) or FORBIDDEN))),
    ((Http404,), lambda exc: (404, error_body(str(exc) or NOT_FOUND))),
    ((AuthenticationError,), _unauthenticated),
    ((HttpError,), _http_error),
    ((NulCharacter,), _nul_character),
    ((MultiPartParserError, BadRequest, SuspiciousOperation), _unreadable),
]


def install(api):
    """One exception handler per type of ``ANSWERS``, and one for defects."""

    def answering(answer):
        def handler(request, exc):
            status, body = answer(exc)
            response = api.create_response(request, body, status=status)
            if status == 401:
                response["WWW-Authenticate"] = "Bearer"
            return response

        return handler

    for types, answer in ANSWERS:
        for exc_type in types:
            api.add_exception_handler(exc_type, answering(answer))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        """A defect: logged with its traceback, answered as JSON like every other error (never
        the debug page, whose traceback may show the values a caller sent)."""
        logger.error("API error on %s %s", request.method, request.path, exc_info=exc)
        return api.create_response(request, error_body(SERVER_ERROR), status=500)
