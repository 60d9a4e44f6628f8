"""What a request must be before any view reads it, for the web pages and the API alike.

Django reads a body only when a view (or the CSRF check) asks for it, so a body that no view could
use — larger than any allowed upload, multipart without a boundary, in a character set that does
not exist, cut off before its end — is refused here, before it is read or written to a temporary
file, with a 4xx that names the problem in Chinese: JSON under the API, a page elsewhere.
"""

import codecs
import json
from functools import lru_cache

from django.conf import settings
from django.http import HttpResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import parse_header_parameters
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TOO_LARGE = gettext_lazy(
    "上传内容过大：本次请求 {size}，超过允许的 {limit}（单次上传的最大文件之和）。"
)
BAD_MULTIPART = gettext_lazy("上传内容格式不正确：multipart/form-data 缺少有效的 boundary 参数。")
TRUNCATED = gettext_lazy("上传内容不完整：数据在结束标记之前中断，请重新上传。")
UNKNOWN_CHARSET = gettext_lazy("不支持的字符集“{charset}”，请使用 UTF-8。")
BODY_ON_GET = gettext_lazy("{method} 请求不能带请求内容（body），请去掉请求内容或改用 POST。")
BAD_LENGTH = gettext_lazy("请求头 Content-Length 不是有效的非负整数。")

# A multipart body carries the files plus headers and the form's text around them.
MULTIPART_ALLOWANCE = 1024 * 1024


@lru_cache(maxsize=1)
def api_prefix() -> str:
    return reverse("api:api-root")


def is_api(request) -> bool:
    return request.path_info.startswith(api_prefix())


def refusal(
    request, status: int, message: str, *, title: str = gettext_lazy("请求有误")
) -> HttpResponse:
    """The answer to a request refused before its view: JSON for the API, a page elsewhere."""
    if is_api(request):
        body = {"rule_id": "", "field": "body", "message": str(message), "errors": {}}
        return HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=status,
            content_type="application/json; charset=utf-8",
        )
    context = {"title": title, "message": message, "status": status}
    return render(request, "error.html", context, status=status)


def _size(n: int) -> str:
    return _("%(mb).1fMB（%(bytes)s字节）") % {"mb": n / 1048576, "bytes": f"{n:,}"}


def upload_limit() -> int:
    """The largest body a request may carry: the largest allowed upload plus its envelope.

    ``TUIXUAN_LARGEST_UPLOAD`` names a function of the campaigns app (a layer above this one)
    that says how many bytes the largest single upload of any campaign may have."""
    largest = import_string(settings.TUIXUAN_LARGEST_UPLOAD)()
    return largest + settings.DATA_UPLOAD_MAX_MEMORY_SIZE + MULTIPART_ALLOWANCE


class _Tail:
    """The request's stream, remembering the last bytes read (to see the closing boundary)."""

    KEEP = 4096

    def __init__(self, stream):
        self._stream = stream
        self.tail = b""

    def read(self, *args):
        data = self._stream.read(*args)
        self.tail = (self.tail + data)[-self.KEEP :]
        return data


class CompleteMultiPartParser(MultiPartParser):
    """Django's parser, refusing a body that ends before its closing boundary.

    Django keeps the parts it read and silently drops a part cut off by the end of the body, so
    the client was told "file missing" about a file it did send; and when the connection dies
    mid-file, the half-written temporary file is closed here at once rather than left to the
    garbage collector."""

    def __init__(self, META, input_data, upload_handlers, encoding=None):
        super().__init__(META, _Tail(input_data), upload_handlers, encoding)

    def parse(self):
        try:
            post, files = super().parse()
        except BaseException:
            self._close_files()
            raise
        if self._content_length and b"--" + self._boundary + b"--" not in self._input_data.tail:
            for _name, uploads in files.lists():
                for upload in uploads:
                    upload.close()
            raise MultiPartParserError(TRUNCATED)
        return post, files


def body_on_get(request) -> str | None:
    """The refusal of an API GET or HEAD that carries a body (no operation reads one)."""
    has_body = request.META.get("CONTENT_LENGTH") not in {None, "", "0"}
    if has_body and request.method in {"GET", "HEAD"} and is_api(request):
        return BODY_ON_GET.format(method=request.method)
    return None


NOT_ALLOWED = gettext_lazy("该接口不支持 {method} 请求；可用的请求方法：{allowed}。")
NO_SUCH_OPERATION = gettext_lazy("没有这个接口，请对照 /api/v1/docs 检查地址。")
API_STATUS_MESSAGES = {
    404: NO_SUCH_OPERATION,
    400: gettext_lazy("请求有误。"),
    403: gettext_lazy("您没有权限进行此操作。"),
}


def as_api_error(request, response) -> HttpResponse:
    """An API error answered by Django itself (no route: 404; a method the route does not have:
    405) as the API's JSON error body, keeping its headers (``Allow``)."""
    if response.status_code == 405:
        message = NOT_ALLOWED.format(method=request.method, allowed=response.get("Allow", ""))
    else:
        message = API_STATUS_MESSAGES.get(response.status_code, _("请求有误。"))
    body = json.dumps(
        {"rule_id": "", "field": "", "message": str(message), "errors": {}}, ensure_ascii=False
    )
    response.content = body.encode()
    response["Content-Type"] = "application/json; charset=utf-8"
    return response


NUL_CHARACTER = gettext_lazy(
    "“{field}”含有空字符（\\0），不能保存；请删除后重试（常见于从其他软件粘贴的文字）。"
)
FORM_TYPES = {"multipart/form-data", "application/x-www-form-urlencoded"}


def nul_field(value, path=""):
    """The path of the first key or string holding a NUL character in parsed data (JSON, a
    query or a form as a dict), or None."""
    if isinstance(value, str):
        return (path or "body") if "\x00" in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list | tuple):
        items = enumerate(value)
    else:
        return None
    for key, item in items:
        where = f"{path}.{key}".strip(".").replace("\x00", "")
        if isinstance(key, str) and "\x00" in key:
            return where
        found = nul_field(item, where)
        if found:
            return found
    return None


def checks_its_own_text(view):
    """Mark a view whose form refuses NUL characters field by field (Django's CharField does),
    re-showing what was typed: the guard then leaves its form fields to it."""
    view.checks_its_own_text = True
    return view


def nul_problem(request, view=None) -> tuple[int, str] | None:
    """A NUL character in what a page's request says (its query or its form fields).

    PostgreSQL cannot store one in text, so it used to end as a 500 wherever a view forgot to
    check; it is refused here once for all pages, naming the field. The API refuses it in its
    own parser (after authentication, as 422 like any other invalid value)."""
    if is_api(request):
        return None
    fields = dict(request.GET.lists())
    checks_itself = getattr(view, "checks_its_own_text", False)
    if request.method == "POST" and request.content_type in FORM_TYPES and not checks_itself:
        fields.update(request.POST.lists())
    field = nul_field(fields)
    return (400, NUL_CHARACTER.format(field=field.split(".")[0])) if field else None


def body_problem(request) -> tuple[int, str] | None:
    """(status, message) when the request's headers already show its body is unusable."""
    meta = request.META
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400, BAD_LENGTH
    if length < 0:
        return 400, BAD_LENGTH
    if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE and length > (limit := upload_limit()):
        return 413, TOO_LARGE.format(size=_size(length), limit=_size(limit))
    content_type, params = parse_header_parameters(meta.get("CONTENT_TYPE", ""))
    charset = params.get("charset")
    if charset:
        try:
            codecs.lookup(charset)
        except LookupError:
            return 415, UNKNOWN_CHARSET.format(charset=charset[:40])
    if content_type == "multipart/form-data":
        boundary = params.get("boundary")
        if not boundary or not MultiPartParser.boundary_re.fullmatch(boundary):
            return 400, BAD_MULTIPART
    return None
