"""Strings and languages: Chinese by default, English when chosen in the footer, and an English
catalogue that covers every marked string (docs/architecture.md, "Strings and languages")."""

import ast
import gettext
import io
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.documents.models import Export
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


@pytest.mark.django_db(transaction=True)  # the task worker reads committed rows
def test_the_summary_table_is_built_in_chinese_whatever_language_is_active(
    client, gx, unit, member, organiser
):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    nomination_services.submit(member, nomination, now=BEFORE_DEADLINE)
    client.force_login(organiser)
    choose(client, "en", reverse("login"))
    url = reverse("documents:exports", args=[gx.key])
    client.post(url, {"kind": "summary", "statuses": ["submitted"]})
    with translation.override("en"):  # as if the worker ran where English was chosen
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    download = client.get(reverse("documents:download", args=[Export.objects.get().pk]))
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book["最美科技志愿者"]["C2"].value == "已提交"  # the status column, as on the form


# Every Chinese word the site says is marked ---------------------------------------------------

HAN = re.compile(r"[\u4e00-\u9fff]")
# What a template may hold in Chinese: marked text (_("…") and _('…'), templating.py), comments,
# and posted values (value="是"), which nobody reads.
TEMPLATE_MARKED = re.compile(
    r'_\("(?:[^"\\]|\\.)*"\)'
    r"|_\('(?:[^'\\]|\\.)*'\)"
    r"|\{#.*?#\}"
    r'|\svalue="[^"{]*"',
    re.S,
)
TEMPLATE_WORDS_SHOWN_AS_WRITTEN = {
    "jinja2/_footer.html": ["语言 · Language"],  # the switch's label, in both languages on purpose
}


def unmarked_in_template(path: Path) -> list[str]:
    text = TEMPLATE_MARKED.sub("", path.read_text(encoding="utf-8"))
    module = path.relative_to(SOURCE).as_posix() if path.is_relative_to(SOURCE) else path.name
    for words in TEMPLATE_WORDS_SHOWN_AS_WRITTEN.get(module, []):
        text = text.replace(words, "")
    return [line.strip() for line in text.splitlines() if HAN.search(line)]


def test_no_template_has_unmarked_chinese():
    """The mail templates are marked too: they are sent in Chinese by choosing the language
    (units/notify.py), not by leaving them unmarked."""
    templates = [*SOURCE.rglob("jinja2/**/*.html"), *SOURCE.rglob("jinja2/**/*.txt")]
    assert len(templates) > 30
    unmarked = {
        path.relative_to(SOURCE).as_posix(): lines
        for path in templates
        if (lines := unmarked_in_template(path))
    }
    assert unmarked == {}


MARKING_CALLS = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"}
# Modules whose Chinese is not for the site's pages, or not marked yet; one reason each.
PYTHON_SHOWN_AS_WRITTEN = {
    "management/commands/": "commands print for the deployer, in Chinese like the README",
    "common/backup.py": "read and written by the backup and restore commands only",
    "common/archive.py": "read by the backup and package commands only",
    "common/tables.py": "the import commands' table reader",
    "units/importers.py": "the import_units command's reader",
    "nominations/importers.py": "the import_past_winners command's reader",
    "units/demo.py": "demonstration data, stored",
    "review/demo.py": "demonstration data, stored; its messages are seed_demo's output",
    "campaigns/loader.py": "the deployer's campaign file errors (CampaignFileError)",
    "campaigns/kinds/levels.py": "the notice's words for an address's levels, matched, not read",
    "settings.py": "a language's name in its own language (简体中文)",
    "campaigns/layout.py": "the official forms' layout: 字号 names, font names and the 附件 mark",
    "documents/docx.py": "the Word form, an official Chinese form",
    "documents/rows.py": "the official forms' rows (Word and PDF): the seal line",
    "documents/xlsx.py": "the Excel summary table, an official Chinese document",
    "documents/tasks.py": "the exports' file names (汇总表, 推报包), Chinese like the documents",
    "documents/package.py": "the forwarding package's file names, as the official forms'; its "
    "checks are the import_package command's",
    "documents/importing.py": "the import_package command's reader",
    "common/media_move.py": "the move_media command's work, printed for the deployer",
    "common/health.py": "the health answer, read by load balancers and the deployer",
}
# Single literals of marked modules that stay Chinese, with the reason.
PYTHON_LITERALS_SHOWN_AS_WRITTEN = {
    (
        "campaigns/kinds/dates.py",
        r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$",
    ): "dates as typed (2021年3月15日)",
    ("campaigns/kinds/dates.py", r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$"): "year-months as typed",
    ("campaigns/kinds/dates.py", 'yyyy"年"m"月"d"日"'): "the Excel summary's date format",
    ("campaigns/kinds/dates.py", 'yyyy"年"m"月"'): "the Excel summary's year-month format",
    ("campaigns/kinds/dates.py", "年"): "a date as the official forms write it (Kind.text)",
    ("campaigns/kinds/dates.py", "月"): "a date as the official forms write it",
    ("campaigns/kinds/dates.py", "日"): "a date as the official forms write it",
    ("campaigns/kinds/registration.py", "是"): "the answers a unit may type or post",
    ("campaigns/kinds/registration.py", "已注册"): "typed answers and the forms' words",
    ("campaigns/kinds/registration.py", "已注册（"): "the forms' words",
    ("campaigns/kinds/registration.py", "否"): "the answers a unit may type or post",
    ("campaigns/kinds/registration.py", "未注册"): "typed answers and the forms' words",
    ("campaigns/kinds/registration.py", "“大美志愿”"): "the forms' words",
    ("nominations/services.py", "与"): "a flag's detail, stored and shown as written",
    ("nominations/services.py", "年度入选典型“"): "a flag's detail, stored",
    ("nominations/services.py", "”同名"): "a flag's detail, stored",
    ("nominations/services.py", "推荐的“"): "a flag's detail, stored",
    ("nominations/services.py", "”疑似为同一对象"): "a flag's detail, stored",
    ("review/services.py", "拟推荐名单公示"): "an announcement's title, stored and public",
    ("nominations/downloads.py", "盖章扫描件"): "a download's file name, Chinese like the forms'",
    ("nominations/downloads.py", "照片"): "a download's file name",
    ("documents/views.py", "未命名"): "a download's file name, Chinese like the forms'",
    **{
        ("documents/reading_docx.py", words): "words matched in a filled Word form, never shown"
        for words in (
            r"^附件\d*$",
            "已注册",
            "是",
            "未注册",
            "否",
            "没有注册",
            "尚未注册",
            "照片",
            "推荐单位",
            "盖章",
            "年月日",
            r"^[“\"]?大美志愿[”\"]?",
            r"^(注册)?(名称|编号|号)[:：]?",
        )
    },
    (
        "documents/models.py",
        "生成导出的后台进程已停止（超过{seconds}秒没有进展），已由后台进程接手重做，"
        "共{attempts}次仍未完成。"
        "请点击“重新生成”；如再次出现，请联系系统管理员检查后台任务进程（manage.py worker）。",
    ): "an export's failure, stored with it (as the worker stores its own)",
    (
        "documents/receivers.py",
        "%d 个导出的后台进程已停止，已重新排队或标为失败。",
    ): "the worker's log, for the deployer",
}


def unmarked_in_python(path: Path) -> list[tuple[int, str]]:
    """Chinese string literals (f-string parts too) outside a gettext call and not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside_marking, docstrings = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in MARKING_CALLS:
            inside_marking |= {id(child) for child in ast.walk(node)}
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and HAN.search(node.value)
        and id(node) not in inside_marking | docstrings
    ]


def test_no_python_string_people_read_is_unmarked():
    unmarked = []
    for path in sorted(SOURCE.rglob("*.py")):
        module = path.relative_to(SOURCE).as_posix()
        if "/migrations/" in module or any(
            f"/{p}" in f"/{module}" for p in PYTHON_SHOWN_AS_WRITTEN
        ):
            continue
        unmarked += [
            f"{module}:{line}: {text}"
            for line, text in unmarked_in_python(path)
            if (module, text) not in PYTHON_LITERALS_SHOWN_AS_WRITTEN
        ]
    assert unmarked == []


def test_the_marked_check_finds_what_it_looks_for(tmp_path):
    """The two checks above see unmarked Chinese where it is (so their silence means something)."""
    template = tmp_path / "page.html"
    template.write_text(
        '{{ _("已标记") }}<p title="未标记">{# 注释 #}{{ _(\'标记\')|fill(n=1) }}</p>',
        encoding="utf-8",
    )
    assert unmarked_in_template(template) == ['{{  }}<p title="未标记">{{ |fill(n=1) }}</p>']
    module = tmp_path / "module.py"
    module.write_text(
        '"""文档。"""\nfrom django.utils.translation import gettext as _\n'
        'A = _("已标记")\nB = "未标记"\nC = f"共{A}个"\n',
        encoding="utf-8",
    )
    assert [text for _line, text in unmarked_in_python(module)] == ["未标记", "共", "个"]
