"""Public pages are cached whole; any publication change starts a new generation of the cache.

Each cached page is kept with the generation it was made in, and served only while that is still
the current generation, so a change makes every older page stale at once, with no list of keys to
delete. The cache is shared by all processes (the database's cache table, or Redis: see
settings.CACHES), so every worker sees a change at once. The generation is not part of the key but
kept beside the page so that a visit reads both in one round trip (``get_many``; on PostgreSQL
each cache statement is one, issue 18), and a page made again replaces its stale copy instead of
leaving it to be culled.

Only what every visitor would see is cached: an anonymous request carrying no session and no
message cookie. Anyone else (a logged-in user, a visitor with a pending message such as
"……已撤回，名额已释放。") gets the page made for them, marked ``private, no-store``.

A visitor who chose English in the footer carries only the language cookie, so is still served
from the cache, but each language has its own copy: the key names the request's language
(common/middleware.py, ChosenLanguageMiddleware), and ``Vary: Cookie`` tells shared proxies.

The key names the path and only the query parameters the view declares it reads
(``@public_page(params=(...))``): a link with ``?utm_source=…`` or a random parameter gets the
same copy as the bare address and makes no entry of its own, so nobody can push real pages out of
the cache, or force a page to be built, by varying the address.
"""

import time
from functools import partial, wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import QueryDict
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers

GENERATION = "showcase:generation"
TIMEOUT = 600  # seconds; also bounds how late a scheduled publication can appear


def changed():
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, _new_generation(), None)


def _new_generation() -> int:
    """A generation never used before, for when the cache has lost it (cleared, culled or
    evicted): counting again from 1 could meet a page kept in an earlier generation 1."""
    return time.time_ns()


def _start_generation() -> int:
    """The cache has no generation (cleared, or the entry culled): start one, unless another
    worker has just done so. One ``add`` (a ``get_or_set`` would also read before and after)."""
    generation = _new_generation()
    if cache.add(GENERATION, generation, None):
        return generation
    return cache.get(GENERATION) or generation  # theirs; or, lost again, ours (matches nothing)


def _same_for_everyone(request) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and CookieStorage.cookie_name not in cookies
    )


def public_page(view=None, *, params=()):
    """Cache the whole response of a GET that is the same for everyone; the rest pass through.

    ``params``: the query parameters the view reads (with ``request.GET.get``); no other part
    of the query string reaches the key."""
    if view is None:
        return partial(public_page, params=params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _same_for_everyone(request):
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True, no_store=True)
            return response
        _keep_only(request, params)
        key = f"showcase:{translation.get_language()}:{request.get_full_path()}"
        found = cache.get_many([GENERATION, key])
        generation = found.get(GENERATION) or _start_generation()
        kept = found.get(key)
        if kept is not None and kept[0] == generation:
            return kept[1]
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200:
            response["Cache-Control"] = f"public, max-age={TIMEOUT // 2}"
            # A shared proxy must not hand this copy to a visitor who has a session, nor to one
            # who chose the other language.
            patch_vary_headers(response, ["Cookie"])
            cache.set(key, (generation, response), TIMEOUT)
        return response

    return wrapper


def _keep_only(request, params):
    """Narrow the request to the path and the declared parameters, in a fixed order: the page
    is then built, keyed and linked (the footer's language switch) as for that address."""
    given = [(name, request.GET.get(name)) for name in sorted(params) if request.GET.get(name)]
    request.META["QUERY_STRING"] = urlencode(given)
    request.GET = QueryDict(request.META["QUERY_STRING"])
