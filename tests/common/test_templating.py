"""The pages' template engine (tuixuan/templating.py) shows values as Django's templates did."""

from datetime import UTC, datetime

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import translation


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_a_time_is_shown_in_beijing_time_in_the_pages_format():
    moment = datetime(2025, 2, 13, 15, 59, tzinfo=UTC)
    with translation.override("zh-hans"):
        assert render("{{ t|date('Y年n月j日 H:i') }}", t=moment) == "2025年2月13日 23:59"
        assert render("{{ t|time('H:i') }}", t=moment) == "23:59"


def test_a_phrase_with_values_escapes_the_values_not_the_phrase():
    page = render('{{ _("请上传<strong>%(name)s</strong>")|fill(name=name) }}', name="<b>张</b>")
    assert page == "请上传<strong>&lt;b&gt;张&lt;/b&gt;</strong>"


def test_a_phrase_is_shown_in_the_visitors_language():
    with translation.override("en"):
        assert render('{{ _("保存草稿") }}') == "Save draft"
    with translation.override("zh-hans"):
        assert render('{{ _("保存草稿") }}') == "保存草稿"


def test_a_method_printed_without_calling_it_is_an_error_not_a_bound_method_on_the_page():
    class Nomination:
        def get_status_display(self):
            return "草稿"

    assert render("{{ n.get_status_display() }}", n=Nomination()) == "草稿"
    with pytest.raises(TypeError, match="without calling it"):
        render("{{ n.get_status_display }}", n=Nomination())


def test_an_unknown_name_and_its_attributes_show_nothing():
    assert render("[{{ nobody }}][{{ nobody.name.first }}]") == "[][]"


def test_a_page_has_one_csrf_token_however_many_forms_it_has():
    """The nomination page has a form per photo; one token per page, as Django's templates had."""
    request = RequestFactory().get("/")
    page = engines["jinja2"].from_string("{{ csrf_input }}|{{ csrf_input }}").render({}, request)
    first, second = page.split("|")
    assert "csrfmiddlewaretoken" in first and first == second
