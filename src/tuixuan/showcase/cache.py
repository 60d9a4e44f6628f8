"""Public pages are cached whole; any publication change starts a new generation of the cache.

Each cached page's key carries the current generation, so a change makes every older page
unreachable at once, with no list of keys to delete. The cache backend is Django's (local memory
by default; Redis in a deployment of several machines).
"""

from functools import wraps

from django.core.cache import cache

GENERATION = "showcase:generation"
TIMEOUT = 600  # seconds; also bounds how late a scheduled publication can appear


def changed():
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 1, None)


def public_page(view):
    """Cache the whole response of an anonymous GET; everything else passes through."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET":
            return view(request, *args, **kwargs)
        generation = cache.get_or_set(GENERATION, 1, None)
        key = f"showcase:{generation}:{request.get_full_path()}"
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if response.status_code == 200:
                response["Cache-Control"] = f"public, max-age={TIMEOUT // 2}"
                cache.set(key, response, TIMEOUT)
        return response

    return wrapper
