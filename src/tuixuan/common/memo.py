"""What one request asks many times, answered once per request.

A page asks ``has_perm`` for every button it may offer, and each question asks the database who
the user is to the unit or campaign, and when the unit's submissions close. Within one request
those answers do not change in a way the page should see, so the first answer is kept until the
response is made (``RequestMemoMiddleware``, in settings.MIDDLEWARE). Outside a request
(services called by commands, the worker, tests calling services) nothing is kept and every
question goes to the database.

Only facts a request does not change are remembered: a user's roles and a unit's deadline. A
view that changes one of them (granting an extension, a role) redirects, so the next request
asks afresh.
"""

from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("tuixuan_request_memo", default=None)


def remembered(key, compute):
    """``compute()``, or its answer from earlier in this request."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


class RequestMemoMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)
