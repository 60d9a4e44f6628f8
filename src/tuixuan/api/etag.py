"""ETags on public reads: the hash of the body, so any change to the data changes the tag."""

import hashlib
import json

from django.http import HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from ninja.responses import NinjaJSONEncoder


def etagged(request, data) -> HttpResponse:
    body = json.dumps(data, cls=NinjaJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    tag = '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'
    candidates = {
        t.strip().removeprefix("W/") for t in request.headers.get("If-None-Match", "").split(",")
    }
    if tag in candidates or "*" in candidates:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["ETag"] = tag
    patch_cache_control(response, public=True, no_cache=True)  # cache, but ask again each time
    return response
