"""Security promises: argon2, login throttling, CSRF on forms, CSP, deploy settings, quiet logs."""

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse

import tuixuan.settings as project_settings
from tests.conftest import BEFORE_DEADLINE, ROOT, complete_nomination, valid_values
from tests.nominations.formdata import post_data
from tuixuan.nominations import services


def test_passwords_are_hashed_with_argon2(db):
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = get_user_model().objects.create_user("hashed", password="a-long-passphrase")
        assert user.password.startswith("argon2$")
        assert user.check_password("a-long-passphrase")


def test_the_fifth_wrong_password_locks_the_account_for_that_address(client, db):
    get_user_model().objects.create_user("nanning", password="correct-horse")
    for _ in range(4):
        response = client.post("/accounts/login/", {"username": "nanning", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    fifth = client.post("/accounts/login/", {"username": "nanning", "password": "wrong"})
    assert fifth.status_code == 429
    locked = client.post("/accounts/login/", {"username": "nanning", "password": "correct-horse"})
    assert locked.status_code == 429
    assert "暂时无法登录" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    other = Client(REMOTE_ADDR="10.0.0.9")  # another office is not locked out
    response = other.post("/accounts/login/", {"username": "nanning", "password": "correct-horse"})
    assert response.status_code == 302


@pytest.fixture
def strict(db):
    return Client(enforce_csrf_checks=True)


def test_every_form_refuses_a_post_without_its_csrf_token(strict, gx, unit, member, organiser):
    nomination = complete_nomination(member, gx, unit, "volunteer")
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    assert strict.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 403
    strict.force_login(member)
    create = reverse("nominations:create", args=[gx.key, unit.code, "volunteer"])
    assert strict.post(create, post_data(valid_values("volunteer"))).status_code == 403
    assert strict.post(reverse("nominations:withdraw", args=[nomination.uid])).status_code == 403
    strict.force_login(organiser)
    accept = reverse("review:accept", args=[nomination.uid])
    assert strict.post(accept).status_code == 403
    exports = reverse("documents:exports", args=[gx.key])
    assert strict.post(exports, {"kind": "summary", "statuses": ["submitted"]}).status_code == 403
    nomination.refresh_from_db()
    assert nomination.status == "submitted"


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, db):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"


def test_no_template_has_an_inline_script():
    executable = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
    templates = list((ROOT / "src" / "tuixuan").rglob("*.html"))
    assert templates
    offenders = [str(path) for path in templates if executable.search(path.read_text("utf-8"))]
    assert offenders == []
    assert not [
        p for p in templates if re.search(r"\son(click|load|submit|change)=", p.read_text("utf-8"))
    ]


def test_the_deploy_check_is_clean_with_production_settings(tmp_path):
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {
        **inherited,  # without the browser tests' async switch, as a deployment runs
        "TUIXUAN_DEBUG": "0",
        "TUIXUAN_SECRET_KEY": "k" * 20 + "7Qz!p9#Lw2$Xv5^Rt8&Yb3*Nm6(Hs1)Jd4",
        "TUIXUAN_ALLOWED_HOSTS": "tuixuan.example.gov.cn",
        "TUIXUAN_EMAIL_HOST": "smtp.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "TUIXUAN_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_whole_journey_leaves_no_personal_data_in_the_logs(
    client, gx, unit, member, organiser, caplog, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    unit.participations.update(extension_until=timezone.now() + timedelta(days=5))
    member.email = "unit@example.cn"
    member.save()
    caplog.set_level(logging.DEBUG)
    client.force_login(member)
    values = valid_values("volunteer")
    create = reverse("nominations:create", args=[gx.key, unit.code, "volunteer"])
    kept = client.post(create, post_data({**values, "phone": "138-bad"}, action="save"))
    client.post(kept.url, post_data(values, action="save"))  # the phone kept as typed, fixed
    nomination = gx.nominations.get()
    for seed in range(2):
        from tests.conftest import photo_upload

        client.post(
            reverse("nominations:upload_photos", args=[nomination.uid]),
            {"photos": photo_upload(seed=seed)},
        )
    client.post(
        reverse("nominations:edit", args=[nomination.uid]), post_data(values, action="submit")
    )
    client.force_login(organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:return", args=[nomination.uid]), {"reason": "请核实"})
    client.get(reverse("review:nomination", args=[nomination.uid]))
    client.get(reverse("documents:form_docx", args=[nomination.uid]))
    nomination.refresh_from_db()
    assert nomination.status == "returned"
    logged = caplog.text + "".join(str(record.args) for record in caplog.records)
    for key in ("phone", "address", "birth", "political_status"):
        assert values[key] not in logged, key
    assert "138-bad" not in logged
    assert "unit@example.cn" not in logged


def test_settings_module_is_the_one_under_test():
    assert Path(project_settings.__file__).parent == ROOT / "src" / "tuixuan"
