"""The site's pages are Jinja2 templates (``<app>/jinja2/``); Django's own template language is
kept for the admin alone.

Why Jinja2: a Jinja2 template is compiled to Python once, where Django's language walks its tree
of nodes and resolves every variable by trying dictionary, attribute and index lookups in turn on
each request; on the unit's and the organiser's daily pages that walk was a third to a half of
the page (issue 18), and Jinja2 does the same work in a quarter of the time.

What the pages may use, beyond Jinja2's own:

- ``_("…")`` for a fixed phrase (Django's ``gettext``: escaped like any value), and
  ``_("…%(name)s…")|fill(name=value)`` for a phrase with values in it: the phrase is ours and
  may hold markup, the values are escaped — what ``{% blocktranslate %}`` did. Both forms are
  what ``makemessages`` reads out of a template, so the catalogue keeps the same entries.
  Phrases with a translation context live in ``common/phrases.py``.
- ``url(name, *args)``, ``static(path)``, ``get_current_language()``, and Django's filters that
  the pages use (``date``, ``time``, ``filesizeformat``, ``linebreaksbr``, ``linebreaks``,
  ``truncatechars``, ``stringformat``, ``add``): Django's own functions, so a date or a size is
  written exactly as before.
- The few helpers an app gives its pages (``rule_mark``, ``stage_bar``, ``people_of``,
  ``has_perm``), registered here, above every app's layer.

A value printed with ``{{ }}`` that is not text is shown as Django shows it — a date and time in
the site's time zone and the language's format, a number in the language's format — by the
environment's ``finalize``. An undefined name prints nothing, and so does any attribute of it,
as in Django's language.
"""

from functools import lru_cache

from django.template import defaultfilters
from django.template.backends.utils import csrf_input
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse
from django.utils.formats import localize
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import template_localtime
from django.utils.translation import get_language, gettext, ngettext, pgettext
from jinja2 import ChainableUndefined, Environment, Undefined
from markupsafe import Markup

from tuixuan.campaigns.templating import rule_mark
from tuixuan.review.templating import stage_bar
from tuixuan.units.templating import people_of


def url(name, *args, **kwargs) -> str:
    """``{{ url("nominations:edit", nomination.uid) }}``, as ``{% url %}`` wrote it.

    Each address is worked out once per process (Django's ``reverse`` is some twenty
    microseconds, and a page has a dozen): it depends only on the name, the arguments and the
    prefix the site is served under (no address here depends on the language)."""
    return _address(get_script_prefix(), name, args, tuple(sorted(kwargs.items())))


@lru_cache(maxsize=4096)
def _address(script_prefix, name, args, kwargs) -> str:
    return reverse(name, args=args or None, kwargs=dict(kwargs) or None)


def fill(message, **values) -> Markup:
    """A translated phrase with its placeholders filled: the phrase is the site's own text
    (markup allowed), each value is escaped unless already marked safe."""
    return Markup(message) % values


def trusted(translate):
    """``translate`` whose answer is marked safe: a phrase written in a template and its
    translation in our catalogue are the site's own text, not a visitor's, as Django's
    ``{% translate "…" %}`` treated them. Each phrase is looked up once per language in this
    process (a page says a hundred of them; Django's lookup of the active catalogue is most of
    the cost of each); the catalogue does not change while the process runs."""

    @lru_cache(maxsize=4096)
    def in_language(language, *args):
        return Markup(translate(*args))

    def translated(*args):
        return in_language(get_language(), *args)

    return translated


def csrf_once(request):
    """Template context processor: the page's CSRF field, worked out once per page. Django's
    Jinja2 backend hands ``csrf_input`` as a lazy value worked out again, with a new random
    mask, wherever a page prints it (the nomination page has a form per photo); Django's own
    template language worked it out once per page, as here."""
    return {"csrf_input": SimpleLazyObject(lambda: csrf_input(request))}


def shown(value):
    """What ``{{ value }}`` prints for a value that is not text: as Django's templates did.

    A function is refused rather than printed: Django's language called it, Jinja2 needs the
    ``()``, and a page showing “<bound method …>” is a mistake no reader should see."""
    if isinstance(value, (str, int, Undefined)):  # text, a count, nothing: printed as they are
        return value  # (a number is grouped in thousands only with USE_THOUSAND_SEPARATOR)
    if callable(value):
        raise TypeError(f"a template printed {value!r} without calling it")
    return localize(template_localtime(value))


def date(value, format=None) -> str:
    """Django's ``date`` filter on the value in the site's time zone, as its templates do."""
    return defaultfilters.date(template_localtime(value), format)


def time(value, format=None) -> str:
    """Django's ``time`` filter on the value in the site's time zone, as its templates do."""
    return defaultfilters.time(template_localtime(value), format)


FILTERS = {
    "fill": fill,
    "date": date,
    "time": time,
    "filesizeformat": defaultfilters.filesizeformat,
    "linebreaksbr": defaultfilters.linebreaksbr,
    "linebreaks": defaultfilters.linebreaks_filter,
    "truncatechars": defaultfilters.truncatechars,
    "stringformat": defaultfilters.stringformat,
    "add": defaultfilters.add,
}


def environment(**options) -> Environment:
    """The Jinja2 environment of ``settings.TEMPLATES`` (and of the forms' widgets)."""
    options["undefined"] = ChainableUndefined
    # cache_size=-1: the compiled templates are kept in a plain dictionary. The site has some
    # seventy; Jinja2's default least-recently-used cache reorders a queue on every lookup, which
    # the nomination page (a lookup per widget) paid for a dozen times.
    env = Environment(
        extensions=["jinja2.ext.i18n"],
        finalize=shown,
        keep_trailing_newline=True,
        cache_size=-1,
        **options,
    )
    env.install_gettext_callables(
        trusted(gettext), trusted(ngettext), pgettext=trusted(pgettext), newstyle=False
    )
    env.globals.update(
        url=url,
        static=static,
        get_current_language=get_language,
        rule_mark=rule_mark,
        stage_bar=stage_bar,
        people_of=people_of,
        has_perm=has_perm,
    )
    env.filters.update(FILTERS)
    return env


def has_perm(user, permission, target=None) -> bool:
    """``has_perm(user, "nominations.create_in_unit", unit)``: the ``rules`` predicate."""
    return user.has_perm(permission, target)
