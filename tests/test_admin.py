"""The back office (Django admin) as the demo organiser sees it, and ``manage.py seed_demo``."""

import re
from io import StringIO

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from django.urls import reverse

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.common.models import AuditEvent
from tuixuan.common.text import normalise_name
from tuixuan.nominations import services
from tuixuan.nominations.models import Flag, FlagKind, FlagStatus, Nomination, PastWinner, Status
from tuixuan.units.demo import DEMO_PASSWORD, create_demo
from tuixuan.units.models import Participation, RecommendingUnit, Role, RoleKind, UnitKind

OUR_APPS = ("campaigns", "units", "nominations", "common", "documents", "review", "showcase", "api")
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in OUR_APPS),
    key=lambda model: model._meta.label,
)
MODEL_IDS = [model._meta.label for model in REGISTERED]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """create_demo hashes five passwords per test: a fast hasher keeps this module quick."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(gx):
    create_demo(gx)
    return gx


@pytest.fixture
def demo_organiser(demo):
    user = get_user_model().objects.get(username="zuzhi")
    assert user.is_staff
    assert not user.is_superuser
    assert user.groups.filter(name="组织方").exists()
    return user


@pytest.fixture
def back_office(client, demo_organiser):
    client.force_login(demo_organiser)
    return client


@pytest.fixture
def demo_member(demo):
    return get_user_model().objects.get(username="nanning")


@pytest.fixture
def draft(demo, demo_member):
    unit = RecommendingUnit.objects.get(code="nanning-cast")
    return complete_nomination(demo_member, demo, unit, "volunteer")


@pytest.fixture
def one_of_everything(demo, demo_member, draft):
    """At least one row of every model registered for our apps, made the way the system makes it."""
    PastWinner.objects.create(name="李 秀梅", normalised_name=normalise_name("李 秀梅"), year=2021)
    pdf = SimpleUploadedFile("stamped.pdf", pdf_bytes(), content_type="application/pdf")
    services.attach_stamped_pdf(demo_member, draft, pdf, now=BEFORE_DEADLINE)
    services.submit(demo_member, draft, now=BEFORE_DEADLINE)  # flags the past winner (G4)
    _review_and_publish(demo, draft)


def _review_and_publish(campaign, nomination):
    """Rows for the review, publicity, export and API models, made by their services."""
    from datetime import date, timedelta

    from tuixuan.api.models import ApiToken
    from tuixuan.documents.models import Export
    from tuixuan.documents.tasks import render_pdf_form
    from tuixuan.nominations.models import Flag
    from tuixuan.review import services as review_services
    from tuixuan.showcase import services as showcase_services

    organiser = get_user_model().objects.get(username="zuzhi")
    expert = get_user_model().objects.get(username="pingshen")
    flag = Flag.objects.get(nomination=nomination)
    services.decide_flag(organiser, flag, confirmed=False, reason="同名不同人")
    services.accept(organiser, nomination)
    assignment = review_services.assign(organiser, nomination, expert)
    values = {item.key: 1 for item in nomination.category.rubric.all()}
    review_services.submit_scores(expert, assignment, values)
    review_services.mark_reviewed(organiser, [nomination])
    review_services.shortlist(organiser, nomination.category, [nomination])
    announcement = review_services.announce(  # its end typed in: counted, it may be refused
        organiser,
        campaign,
        [nomination],
        starts_on=date.today(),
        ends_on=date.today() + timedelta(days=14),
    )
    review_services.file_objection(
        announcement, nomination, name="张三", contact="13900000000", content="异议"
    )
    showcase_services.publish(organiser, nomination, reason="公示期间先行宣传")
    Export.objects.create(campaign=campaign, kind="summary", statuses=["shortlisted"])
    render_pdf_form.call(nomination.pk)  # what the worker does after a hand-in
    ApiToken.issue(organiser, "脚本")


def organiser_request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def test_the_admin_registry_covers_all_our_apps():
    assert {model._meta.app_label for model in REGISTERED} == set(OUR_APPS)


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_organiser_can_open_every_changelist(back_office, one_of_everything, model):
    response = back_office.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_organiser_can_open_every_add_page_the_admin_allows(back_office, model):
    # Whether the ModelAdmin allows adding at all: asked for a superuser, whom no permission limits.
    superuser = get_user_model()(username="root", is_superuser=True, is_active=True)
    allowed = admin.site._registry[model].has_add_permission(organiser_request(superuser))
    # Except roles: only a superuser grants them (tests/integrity/test_role_management.py).
    allowed = allowed and model is not Role

    response = back_office.get(admin_url(model, "add"))

    assert response.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("model", REGISTERED, ids=MODEL_IDS)
def test_organiser_can_open_the_change_page_of_every_kind_of_record(
    back_office, one_of_everything, model
):
    record = model._default_manager.first()
    assert record is not None

    response = back_office.get(admin_url(model, "change", record.pk))

    assert response.status_code == 200


def test_a_unit_member_is_kept_out_of_the_back_office(client, demo_member):
    client.force_login(demo_member)

    response = client.get(admin_url(Nomination, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def change_form_data(response) -> dict:
    """What a browser would post back from an admin change page, unchanged."""
    all_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        all_forms.append(inline.formset.management_form)
        all_forms.extend(inline.formset.forms)
    data = {}
    for form in all_forms:
        for field in form:
            value = field.value()
            if isinstance(field.field, forms.FileField) or value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def test_nomination_change_page_shows_status_but_not_as_a_field(back_office, draft):
    response = back_office.get(admin_url(Nomination, "change", draft.pk))

    assert response.status_code == 200
    assert "status" not in response.context["adminform"].form.fields
    assert 'name="status"' not in response.content.decode()
    assert str(Status.DRAFT.label) in response.content.decode()


def test_posting_a_changed_status_through_the_admin_does_not_change_it(back_office, draft):
    url = admin_url(Nomination, "change", draft.pk)
    data = change_form_data(back_office.get(url))
    data.update(name="李秀梅（已核对）", status=Status.SELECTED, values="{}")

    response = back_office.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert draft.name == "李秀梅"  # values, name and status change only through the services
    assert draft.status == Status.DRAFT
    assert draft.values["phone"] == "13807710001"
    assert draft.photos.count() == draft.category.photo_min


def test_granting_an_extension_in_the_admin_is_audited(back_office, demo, demo_organiser):
    from tuixuan.common.models import AuditEvent
    from tuixuan.units.models import Participation

    participation = Participation.objects.get(campaign=demo, unit__code="gx-agri-society")
    url = admin_url(Participation, "change", participation.pk)
    data = change_form_data(back_office.get(url))
    data.update({"extension_until_0": "2025-02-20", "extension_until_1": "18:00:00"})  # Beijing

    response = back_office.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = AuditEvent.objects.get(action="participation.extend")
    assert event.actor == demo_organiser
    assert event.data == {
        "unit": "gx-agri-society",
        "extension_until": "2025-02-20T18:00:00+08:00",
    }


def test_a_flag_is_decided_only_through_the_service_not_by_editing_its_status(
    back_office, one_of_everything
):
    # decide_flag demands a reason and writes the audit log; the admin form must not bypass it.
    flag = Flag.objects.get(kind=FlagKind.PAST_WINNER)
    decided = flag.status
    url = admin_url(Flag, "change", flag.pk)
    data = change_form_data(back_office.get(url))
    data.update(status=FlagStatus.CONFIRMED, detail="核对过")

    response = back_office.post(url, data)

    assert response.status_code in (302, 403)  # saved without the status, or refused outright
    flag.refresh_from_db()
    assert flag.status == decided == FlagStatus.CLEARED


def test_a_past_winner_added_in_the_admin_gets_its_normalised_name(back_office):
    response = back_office.post(
        admin_url(PastWinner, "add"),
        {"name": "張 偉", "year": "2021", "category_name": "优秀志愿者", "unit_name": ""},
    )

    assert response.status_code == 302
    assert PastWinner.objects.get().normalised_name == "张伟"


def test_audit_events_can_be_seen_but_not_added_changed_or_deleted(
    back_office, demo_organiser, draft
):
    event = AuditEvent.objects.filter(nomination=draft).first()
    assert event is not None
    audit_admin = admin.site._registry[AuditEvent]
    request = organiser_request(demo_organiser)
    assert demo_organiser.has_perm("common.add_auditevent")  # the group grants it; admin refuses
    assert not audit_admin.has_add_permission(request)
    assert not audit_admin.has_change_permission(request, event)
    assert not audit_admin.has_delete_permission(request, event)

    assert back_office.get(admin_url(AuditEvent, "changelist")).status_code == 200
    assert back_office.get(admin_url(AuditEvent, "add")).status_code == 403
    assert back_office.post(admin_url(AuditEvent, "add"), {"action": "x"}).status_code == 403
    page = back_office.get(admin_url(AuditEvent, "change", event.pk))
    assert page.status_code == 200  # read-only view
    assert 'name="action"' not in page.content.decode()
    changed = back_office.post(admin_url(AuditEvent, "change", event.pk), {"action": "forged"})
    assert changed.status_code == 403
    deleted = back_office.post(admin_url(AuditEvent, "delete", event.pk), {"post": "yes"})
    assert deleted.status_code == 403
    back_office.post(
        admin_url(AuditEvent, "changelist"),
        {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"},
    )
    event.refresh_from_db()
    assert event.action == "nomination.create"


def test_the_list_of_audit_events_reads_as_sentences_not_codes(back_office, demo, draft):
    """Defect fixed: the office's list of events showed “nomination.submit”, “draft”."""
    from tuixuan.common.audit import record

    record("nomination.submit", nomination=draft, from_state="draft", to_state="submitted")
    page = back_office.get(admin_url(AuditEvent, "changelist")).content.decode()
    assert "新建推荐" in page and "草稿 → 已提交" in page and "公众或系统" in page
    assert ">nomination.create<" not in page and ">draft<" not in page  # (the filter's links
    # carry the codes in their addresses, as they must)
    filtered = back_office.get(admin_url(AuditEvent, "changelist"), {"action": "nomination.submit"})
    assert "草稿 → 已提交" in filtered.content.decode()
    assert "新建推荐</td>" not in filtered.content.decode()


# seed_demo -------------------------------------------------------------------------------------


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def printed_logins(output) -> tuple[str, list[str]]:
    password = re.search(r"密码均为 (\S+?)）", output).group(1)
    usernames = [line.split()[0] for line in output.splitlines() if line.startswith("  ")]
    return password, usernames


def everything_seeded():
    users = get_user_model().objects
    return (
        sorted(users.values_list("pk", "username", "is_staff")),
        sorted(Group.objects.values_list("pk", "name")),
        sorted(RecommendingUnit.objects.values_list("pk", "code", "kind")),
        sorted(Participation.objects.values_list("pk", "campaign_id", "unit_id")),
        sorted(Role.objects.values_list("pk", "user_id", "kind", "campaign_id", "unit_id")),
    )


def test_seed_demo_creates_an_organiser_three_units_of_each_kind_and_a_reviewer(gx):
    seed("--campaign", "gx-2024")

    organisers = Role.objects.filter(kind=RoleKind.ORGANISER, campaign=gx)
    assert organisers.count() == 1
    organiser = organisers.get().user
    assert organiser.is_staff
    assert organiser.groups.filter(name="组织方").exists()
    assert Role.objects.filter(kind=RoleKind.REVIEWER, campaign=gx).count() == 1
    units = RecommendingUnit.objects.filter(participations__campaign=gx)
    assert sorted(units.values_list("kind", flat=True)) == sorted(UnitKind.values)
    for unit in units:
        assert Role.objects.filter(kind=RoleKind.UNIT_MEMBER, unit=unit).count() == 1
    # gx-2024 names a parent campaign: its organiser, and Guangxi's CAST (parent_unit) in it.
    above = Role.objects.get(kind=RoleKind.ORGANISER, campaign=gx.parent).user
    assert above.username == "quanguo" and above.is_staff
    guangxi = RecommendingUnit.objects.get(code="gx-cast")
    assert guangxi.name == "广西壮族自治区科学技术协会"
    assert list(guangxi.participations.values_list("campaign", flat=True)) == [gx.parent_id]
    assert get_user_model().objects.count() == 6
    assert not get_user_model().objects.filter(is_superuser=True).exists()


def test_every_seeded_account_logs_in_with_the_printed_password(client, gx):
    password, usernames = printed_logins(seed("--campaign", "gx-2024"))

    assert password == DEMO_PASSWORD
    assert sorted(usernames) == sorted(get_user_model().objects.values_list("username", flat=True))
    for username in usernames:
        response = client.post("/accounts/login/", {"username": username, "password": password})
        assert response.status_code == 302, username
        client.logout()
    wrong = client.post(
        "/accounts/login/", {"username": usernames[0], "password": "wrong-password"}
    )
    assert wrong.status_code == 200 and "用户名或密码不正确" in wrong.content.decode()


def test_seed_demo_uses_gx_2024_by_default(gx):
    seed()

    assert Role.objects.filter(kind=RoleKind.ORGANISER, campaign=gx).exists()


def test_running_seed_demo_twice_creates_nothing_new(client, gx):
    seed("--campaign", "gx-2024")
    before = everything_seeded()

    password, usernames = printed_logins(seed("--campaign", "gx-2024"))

    assert everything_seeded() == before
    response = client.post("/accounts/login/", {"username": usernames[0], "password": password})
    assert response.status_code == 302


def test_seed_demo_with_an_unknown_campaign_fails_clearly_and_creates_nothing(gx):
    with pytest.raises(CommandError) as caught:
        seed("--campaign", "gx-2099")

    assert "gx-2099" in str(caught.value)
    assert "load_campaign" in str(caught.value)
    assert not get_user_model().objects.exists()
    assert not RecommendingUnit.objects.exists()
