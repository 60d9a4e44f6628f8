"""The site's own answers for 400, 403 (CSRF) and 500: in Chinese, never Django's English."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .phrases import phrases
from .requests import is_api, refusal

CSRF_FAILED = gettext_lazy(
    "页面已过期或缺少安全校验（CSRF）。请返回上一页，刷新后重新提交；表单内容请先复制保存。"
)
BAD_REQUEST = gettext_lazy("请求内容有误，无法处理。请返回上一页重试。")
SERVER_ERROR = gettext_lazy("服务器内部错误，我们已记录。请稍后再试；如持续出现，请联系组织方。")


def bad_request(request, exception=None):
    # Our own messages are Chinese; Django's (English, naming internals) are not shown.
    reason = str(exception or "")
    message = reason if reason and not reason.isascii() else BAD_REQUEST
    return refusal(request, 400, message)


def csrf_failure(request, reason=""):
    if is_api(request):
        return refusal(request, 403, CSRF_FAILED)
    context = {"title": _("页面已过期"), "message": CSRF_FAILED, "status": 403}
    return render(request, "error.html", context, status=403)


def server_error(request):
    """Rendered without the request's context: whatever failed may fail again in a context
    processor. The API gets JSON (its own handler catches errors first; this is the fallback)."""
    if is_api(request):
        return refusal(request, 500, SERVER_ERROR)
    return HttpResponseServerError(
        loader.get_template("500.html").render({"message": SERVER_ERROR, "phrases": phrases})
    )
