"""Strings and languages: Chinese by default, English when chosen in the footer, and an English
catalogue that covers every marked string (docs/architecture.md, "Strings and languages")."""

import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.nominations import services as nomination_services

SOURCE = Path(settings.BASE_DIR)
CATALOGUE = SOURCE / "locale" / "en" / "LC_MESSAGES"
# The options of `make messages` (Makefile), run from src/tuixuan.
MAKEMESSAGES = {
    "locale": ["en"],
    "extensions": ["html", "txt", "py"],
    "no_obsolete": True,
    "no_wrap": True,
    "add_location": "file",
    "verbosity": 0,
}
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def entries(po: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgstr and flags (enough for our catalogue,
    which has no plurals; a plural entry fails the test rather than passing unread)."""
    found, entry, key = [], None, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry is not None:
                found.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"msgctxt": None, "msgid": "", "msgstr": "", "flags": set()}
        if line.startswith("#,"):
            entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            assert key in ("msgctxt", "msgid", "msgstr"), f"unexpected {key} in {po}"
            entry[key] = ast.literal_eval(value)
    return found


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry():
    catalogue = entries(CATALOGUE / "django.po")
    assert len(catalogue) > 50
    assert [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]] == []
    assert [e["msgid"] for e in catalogue if not e["msgstr"]] == []
    for entry in catalogue:
        assert sorted(PLACEHOLDER.findall(entry["msgid"])) == sorted(
            PLACEHOLDER.findall(entry["msgstr"])
        ), entry["msgid"]


def test_the_committed_mo_is_the_compiled_po():
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for entry in entries(CATALOGUE / "django.po")[1:]:  # the first is the header
        if entry["msgctxt"]:
            shown = compiled.pgettext(entry["msgctxt"], entry["msgid"])
        else:
            shown = compiled.gettext(entry["msgid"])
        assert shown == entry["msgstr"], f"run `make messages`: {entry['msgid']}"


def test_every_marked_string_is_in_the_committed_catalogue(tmp_path, monkeypatch):
    """makemessages over a copy of the source (so the committed catalogue is not touched):
    a string marked for translation but missing from the catalogue fails here."""
    copy = tmp_path / "tuixuan"
    shutil.copytree(SOURCE, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", **MAKEMESSAGES)
    key = lambda e: (e["msgctxt"], e["msgid"])  # noqa: E731
    marked = {key(e) for e in entries(tmp_path / "locale" / "en" / "LC_MESSAGES" / "django.po")}
    committed = {key(e) for e in entries(CATALOGUE / "django.po")}
    assert len(marked) > 50
    assert marked - committed == set(), "run `make messages` and translate the new strings"


def choose(client, language, next_url):
    """What the footer's form sends (works without JavaScript and without a CSRF token, as on a
    cached public page)."""
    page = client.get(next_url, follow=True).content.decode()
    assert 'action="/i18n/setlang/"' in page and 'name="language"' in page
    return client.post(reverse("set_language"), {"language": language, "next": next_url})


@pytest.fixture
def visitor():
    return Client(enforce_csrf_checks=True)


def test_the_default_is_chinese_even_for_a_browser_asking_for_english(visitor, gx):
    login = visitor.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in login
    assert "用户名" in login and "User name" not in login
    exemplars = visitor.get(reverse("showcase:exemplars"), HTTP_ACCEPT_LANGUAGE="en").content
    assert "全部年度" in exemplars.decode()


def test_switching_to_english_in_the_footer_shows_english(visitor, gx, member):
    response = choose(visitor, "en", reverse("showcase:exemplars"))
    assert response.status_code == 302 and response["Location"] == reverse("showcase:exemplars")
    exemplars = visitor.get(reverse("showcase:exemplars")).content.decode()
    assert '<html lang="en">' in exemplars
    assert "Exemplars of science and technology volunteer service" in exemplars
    assert "All years" in exemplars and "全部年度" not in exemplars
    campaign = visitor.get(reverse("showcase:campaign", args=[gx.key])).content.decode()
    assert "Deadline for submissions" in campaign and "(Beijing time)" in campaign
    # Campaign data is shown as written.
    assert gx.title in campaign
    login = visitor.get(reverse("nominations:home"), follow=True).content.decode()
    assert "User name" in login and "Password" in login and "用户名" not in login
    # Back to Chinese the same way.
    choose(visitor, "zh-hans", reverse("login"))
    assert "用户名" in visitor.get(reverse("login")).content.decode()


def test_the_chosen_language_survives_navigation_and_logging_in(client, gx, member):
    member.set_password("a-long-test-password")
    member.save()
    choose(client, "en", reverse("login"))
    for url in (reverse("showcase:exemplars"), reverse("showcase:campaign", args=[gx.key])):
        assert "Tech Volunteers" in client.get(url).content.decode()
    client.post(reverse("login"), {"username": member.username, "password": "a-long-test-password"})
    home = client.get(reverse("nominations:home"), follow=True).content.decode()
    assert "Log out" in home and "退出" not in home
    cookie = client.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert int(cookie["max-age"]) >= 365 * 24 * 3600  # and closing the browser keeps it


def test_a_language_the_site_does_not_offer_shows_chinese(visitor, gx):
    choose(visitor, "fr", reverse("login"))  # Django knows French; the site does not offer it
    assert "用户名" in visitor.get(reverse("login")).content.decode()


def test_a_unit_is_written_to_in_chinese_whatever_the_organisers_language(
    client, gx, unit, member, organiser, mailoutbox, django_capture_on_commit_callbacks
):
    member.email = "jingbanren@nanning.example"
    member.save()
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    client.force_login(organiser)
    choose(client, "en", reverse("login"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/office/n/{nomination.uid}/return/", {"reason": "请补充证明材料"})
    [mail] = mailoutbox
    assert mail.subject == "【推选】“李秀梅”被退回修改"
    assert "退回理由：请补充证明材料" in mail.body
