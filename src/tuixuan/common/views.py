"""The site's own answers for 400, 403 (CSRF) and 500 (in Chinese, never Django's English), and
the two answers for load balancers and process supervisors, /healthz and /livez."""

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import health
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


def livez(request):
    """The process is up and Django answers: a constant, no database, cache or storage.

    For a supervisor deciding whether to restart the process, and the benchmarks' baseline of
    a bare Django page (bench/pages.py, bench/showcase.py).
    """
    return _plain("ok", 200)


def healthz(request):
    """200 "ok" only when the database, the cache and the file storage each answer; otherwise 503
    naming, in plain text, what failed (common/health.py). For load balancers' health checks."""
    results = health.check()
    if all(result.ok for result in results):
        return _plain("ok", 200)
    failed = [result.name for result in results if not result.ok]
    lines = [f"failed: {', '.join(failed)}"]
    lines += [
        f"{result.name} {result.label}: {'ok' if result.ok else 'failed (' + result.error + ')'}"
        for result in results
    ]
    return _plain("\n".join(lines) + "\n", 503)


def _plain(text, status):
    response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response
