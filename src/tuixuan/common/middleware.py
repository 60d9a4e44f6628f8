"""The site's own middleware: what every request and every answer must be, in one place each."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_cache_control

from .requests import (
    CompleteMultiPartParser,
    as_api_error,
    body_on_get,
    body_problem,
    is_api,
    nul_problem,
    refusal,
)


class RequestGuardMiddleware:
    """First after the security middleware: nothing before it reads the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = body_problem(request)
        if problem is not None:
            return refusal(request, *problem)
        request.multipart_parser_class = CompleteMultiPartParser
        response = self.get_response(request)
        if (refused := body_on_get(request)) is not None and response.status_code != 405:
            # Only now is it known that the route has a GET (a route without one answers 405,
            # which a client must see); a GET changes nothing, so answering it was harmless.
            return refusal(request, 400, refused)
        if response.status_code >= 400 and is_api(request) and not _is_json(response):
            return as_api_error(request, response)
        return response

    def process_view(self, request, view, args, kwargs):
        """NUL characters, once the view is known (a view may check its own form's text)."""
        problem = nul_problem(request, view)
        return refusal(request, *problem) if problem is not None else None


def _is_json(response) -> bool:
    return response.get("Content-Type", "").startswith("application/json")


class PrivatePagesMiddleware:
    """What a logged-in person is shown is theirs: ``Cache-Control: private, no-store`` on every
    answer to them that does not say otherwise, so no proxy or shared cache keeps it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response


class ChosenLanguageMiddleware:
    """The language the visitor chose in the page footer (Django's language cookie, set by
    ``set_language``), else Chinese.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: the site
    is Chinese for everyone, including staff whose browsers happen to be set to English,
    and English is shown only to whoever asks for it. A page therefore depends on this one
    cookie, which the public page cache keys on (showcase/cache.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = _chosen_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


def _chosen_language(request) -> str:
    try:
        return translation.get_supported_language_variant(
            request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        )
    except LookupError:
        return settings.LANGUAGE_CODE
