"""Every page, action and API operation × anonymous, unit A (the owner), unit B, an assigned
expert, the organiser.

The table says who may; everyone else must get nothing: a login redirect for the anonymous, a 404
for the signed-in who may not see the object (so that nothing about another unit's work is even
confirmed) or a 403 for those who may see but not act, and no change in the database. A URL added
without a row here fails ``test_every_url_is_in_the_matrix`` (for the API, the operations of its own
OpenAPI schema: ``test_every_api_operation_is_in_the_matrix``); over the API the anonymous get 401.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member, photo_upload
from tests.fixtures.images import png_bytes
from tests.fixtures.pdfs import pdf_bytes
from tuixuan.common.models import AuditEvent
from tuixuan.documents.models import Export
from tuixuan.nominations import services
from tuixuan.nominations.models import Flag, PastWinner
from tuixuan.review import services as review_services
from tuixuan.review.models import Assignment
from tuixuan.units.models import Role, RoleKind

ANON, UNIT_A, UNIT_B, EXPERT, ORGANISER = "anonymous", "unit A", "unit B", "expert", "organiser"
ROLES = (ANON, UNIT_A, UNIT_B, EXPERT, ORGANISER)
SIGNED_IN = {UNIT_A, UNIT_B, EXPERT, ORGANISER}
EVERYONE = set(ROLES)
PUBLIC = {
    "landing",
    "login",
    "logout",
    "set_language",
    "healthz",
    "livez",
    "campaign",
    "blank_form",
    "exemplars",
    "feed",
    "exemplar",
}


@pytest.fixture
def world(gx, unit, member, other_unit, organiser, tmp_path):
    """One of everything, as the system makes it."""
    PastWinner.objects.create(name="李秀梅", normalised_name="李秀梅", year=2021)
    nomination = complete_nomination(member, gx, unit, "volunteer")
    pdf = SimpleUploadedFile("盖章.pdf", pdf_bytes())
    stamped = services.attach_stamped_pdf(member, nomination, pdf, now=BEFORE_DEADLINE)
    stamped.seal_crop.save("seal.png", ContentFile(png_bytes()))  # as the seal search keeps it
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    flag = Flag.objects.get()
    services.decide_flag(organiser, flag, confirmed=False, reason="同名不同人")
    services.accept(organiser, nomination)
    expert = get_user_model().objects.create_user("expert")
    Role.objects.create(user=expert, kind=RoleKind.REVIEWER, campaign=gx)
    assignment = review_services.assign(organiser, nomination, expert)
    scores = {"deeds": 36, "example": 25, "service": 18, "materials": 9}
    review_services.submit_scores(expert, assignment, scores)  # review closes once all scored
    services.mark_reviewed(organiser, nomination)
    services.shortlist(organiser, nomination)
    today = date.today()  # its end typed in: counted, it may be refused (a year not yet known)
    announcement = review_services.announce(
        organiser, gx, [nomination], starts_on=today, ends_on=today + timedelta(days=14)
    )
    objection = review_services.file_objection(
        announcement, nomination, name="张三", contact="13900000000", content="异议内容"
    )
    from tuixuan.showcase import services as showcase

    publication = showcase.publish(organiser, nomination, reason="公示期间先行宣传")
    export = Export.objects.create(
        campaign=gx, kind="summary", statuses=["submitted"], state="done"
    )
    export.file.save("summary.xlsx", SimpleUploadedFile("s.xlsx", b"PK\x03\x04"), save=True)
    users = {
        UNIT_A: member,
        UNIT_B: make_member(other_unit),
        EXPERT: expert,
        ORGANISER: organiser,
    }
    nomination.refresh_from_db()
    return {
        "campaign": gx,
        "unit": unit,
        "nomination": nomination,
        "photo": nomination.photos.first(),
        "flag": flag,
        "assignment": assignment,
        "announcement": announcement,
        "objection": objection,
        "publication": publication,
        "export": export,
        "users": users,
    }


def n(w):
    return w["nomination"].uid


def docx_upload(w):
    """A filled Word 推荐表: the category's blank form as the system prints it."""
    from tuixuan.documents.docx import blank_form_docx

    return SimpleUploadedFile("推荐表.docx", blank_form_docx(w["campaign"].categories.first()))


def held_docx(w):
    """A token for a form unit A's clerk uploaded and has not yet confirmed."""
    from tuixuan.documents.reading_docx import hold

    if "docx_token" not in w:
        w["docx_token"] = hold(w["users"][UNIT_A], docx_upload(w).read())
    return w["docx_token"]


# name, method, url(world), data(world), who may
MATRIX = [
    ("nominations:home", "get", lambda w: "/my/", None, SIGNED_IN),
    ("nominations:campaign", "get", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/", None, {UNIT_A}),
    ("nominations:create", "get", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/new/volunteer/", None, {UNIT_A}),
    ("nominations:edit", "get", lambda w: f"/n/{n(w)}/", None, {UNIT_A, ORGANISER}),
    ("nominations:copy", "post", lambda w: f"/n/{n(w)}/copy/", lambda w: {"target": f"{c(w)}/volunteer"}, {UNIT_A}),
    ("nominations:withdraw", "post", lambda w: f"/n/{n(w)}/withdraw/", lambda w: {}, {UNIT_A}),
    ("documents:docx_import", "get", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/import-docx/", None, {UNIT_A}),
    ("documents:docx_import", "post", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/import-docx/", lambda w: {"file": docx_upload(w)}, {UNIT_A}),
    ("documents:docx_preview", "get", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/import-docx/{held_docx(w)}/", None, {UNIT_A}),
    ("documents:docx_preview", "post", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/import-docx/{held_docx(w)}/", lambda w: {"category": "volunteer", "action": "confirm"}, {UNIT_A}),
    ("nominations:upload_photos", "post", lambda w: f"/n/{n(w)}/photos/", lambda w: {"photos": photo_upload(seed=9)}, {UNIT_A}),
    ("nominations:photo", "get", lambda w: f"/n/{n(w)}/photos/{w['photo'].pk}/", None, {UNIT_A, ORGANISER, EXPERT}),
    ("nominations:delete_photo", "post", lambda w: f"/n/{n(w)}/photos/{w['photo'].pk}/delete/", lambda w: {}, {UNIT_A}),
    ("nominations:move_photo", "post", lambda w: f"/n/{n(w)}/photos/{w['photo'].pk}/move/", lambda w: {"direction": "down"}, {UNIT_A}),
    ("nominations:upload_pdf", "post", lambda w: f"/n/{n(w)}/stamped-pdf/", lambda w: {"stamped_pdf": SimpleUploadedFile("a.pdf", pdf_bytes())}, {UNIT_A}),
    ("nominations:pdf", "get", lambda w: f"/n/{n(w)}/stamped-pdf/file/", None, {UNIT_A, ORGANISER}),
    ("nominations:seal_crop", "get", lambda w: f"/n/{n(w)}/stamped-pdf/seal.png", None, {UNIT_A, ORGANISER}),
    ("documents:form_docx", "get", lambda w: f"/n/{n(w)}/form.docx", None, {UNIT_A, ORGANISER}),
    ("documents:form_pdf", "get", lambda w: f"/n/{n(w)}/form.pdf", None, {UNIT_A, ORGANISER}),
    ("documents:batch", "get", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/batch/", None, {UNIT_A}),
    ("documents:batch_create", "post", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/batch/create/", lambda w: {"rows": "x"}, {UNIT_A}),
    ("documents:batch_template", "get", lambda w: f"/c/{w['campaign'].key}/u/{w['unit'].code}/batch/volunteer.xlsx", None, {UNIT_A}),
    ("documents:exports", "get", lambda w: f"/office/c/{w['campaign'].key}/exports/", None, {ORGANISER}),
    ("documents:export", "get", lambda w: f"/office/exports/{w['export'].pk}/", None, {ORGANISER}),
    ("documents:download", "get", lambda w: f"/office/exports/{w['export'].pk}/download/", None, {ORGANISER}),
    ("documents:retry", "post", lambda w: f"/office/exports/{w['export'].pk}/retry/", lambda w: {}, {ORGANISER}),
    ("units:extensions", "get", lambda w: f"/office/c/{w['campaign'].key}/units/", None, {ORGANISER}),
    ("units:extensions", "post", lambda w: f"/office/c/{w['campaign'].key}/units/", lambda w: {"unit": w["unit"].code, "until": "2030-01-01T00:00", "reason": "x"}, {ORGANISER}),
    ("review:office", "get", lambda w: f"/office/c/{w['campaign'].key}/", None, {ORGANISER}),
    ("review:queue", "get", lambda w: f"/office/c/{w['campaign'].key}/review/", None, {ORGANISER}),
    ("review:forward_to_parent", "post", lambda w: f"/office/c/{w['campaign'].key}/forward-to-parent/", lambda w: {}, {ORGANISER}),
    ("review:nomination", "get", lambda w: f"/office/n/{n(w)}/", None, {ORGANISER}),
    ("review:accept", "post", lambda w: f"/office/n/{n(w)}/accept/", lambda w: {}, {ORGANISER}),
    ("review:return", "post", lambda w: f"/office/n/{n(w)}/return/", lambda w: {"reason": "x"}, {ORGANISER}),
    ("review:flag", "post", lambda w: f"/office/n/{n(w)}/flags/{w['flag'].pk}/", lambda w: {"decision": "clear", "reason": "x"}, {ORGANISER}),
    ("review:experts", "get", lambda w: f"/office/c/{w['campaign'].key}/experts/", None, {ORGANISER}),
    ("review:assign", "post", lambda w: f"/office/n/{n(w)}/assign/", lambda w: {"reviewer": w["users"][EXPERT].pk}, {ORGANISER}),
    ("review:ranking", "get", lambda w: f"/office/c/{w['campaign'].key}/ranking/volunteer/", None, {ORGANISER}),
    ("review:objections", "get", lambda w: f"/office/c/{w['campaign'].key}/objections/", None, {ORGANISER}),
    ("review:answer", "post", lambda w: f"/office/objections/{w['objection'].pk}/answer/", lambda w: {"answer": "已核实"}, {ORGANISER}),
    ("review:announcement", "get", lambda w: f"/gongshi/{w['announcement'].pk}/", None, EVERYONE),
    ("review:assignments", "get", lambda w: "/review/", None, SIGNED_IN),
    ("review:score", "get", lambda w: f"/review/a/{w['assignment'].pk}/", None, {EXPERT}),
    ("review:conflict", "post", lambda w: f"/review/a/{w['assignment'].pk}/conflict/", lambda w: {"reason": "回避"}, {EXPERT}),
    ("showcase:publish", "post", lambda w: f"/office/n/{n(w)}/publish/", lambda w: {}, {ORGANISER}),
    ("showcase:unpublish", "post", lambda w: f"/office/n/{n(w)}/unpublish/", lambda w: {}, {ORGANISER}),
    ("units:profile", "get", lambda w: "/account/profile/", None, SIGNED_IN),
    ("showcase:photo", "get", lambda w: f"/exemplars/{w['publication'].pk}/photos/0-400.jpg", None, EVERYONE),
]  # fmt: skip


def test_every_url_is_in_the_matrix():
    covered = {name.split(":")[1] for name, *_ in MATRIX} | PUBLIC
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if str(pattern.pattern).startswith(("admin/", "api/")):
                    continue
                walk(pattern.url_patterns)
            else:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)
    assert names - covered == set()


def state():
    """What a refused request must not have changed."""
    from tuixuan.nominations.models import Attachment, Nomination, Photo
    from tuixuan.review.models import Objection
    from tuixuan.showcase.models import Publication

    return (
        list(Nomination.objects.values_list("status", "values")),
        list(Photo.objects.order_by("pk").values_list("pk", "order")),
        list(Attachment.objects.values_list("sha256", flat=True)),
        list(Flag.objects.values_list("status", flat=True)),
        list(Assignment.objects.values_list("reviewer_id", "conflict")),
        list(Objection.objects.values_list("answer", flat=True)),
        Publication.objects.count(),
    )


def act_as(client, world, role):
    """The client as this role of the world: logged out for the anonymous, else logged in."""
    client.logout()
    if role != ANON:
        client.force_login(world["users"][role])


@pytest.mark.parametrize(
    ("name", "method", "url", "data", "allowed"), MATRIX, ids=[m[0] for m in MATRIX]
)
def test_only_the_allowed_roles_get_through(client, world, name, method, url, data, allowed):
    target = url(world)
    # Refused roles first, each leaving the database as it was; then one allowed role acts.
    for role in sorted(set(ROLES) - allowed, key=ROLES.index):
        act_as(client, world, role)
        before = state()
        events = AuditEvent.objects.count()
        response = getattr(client, method)(target, data(world) if data else None)
        if role == ANON:
            assert response.status_code == 302 and "/accounts/login/" in response.url, (
                role,
                target,
            )
        else:  # 404 where the role may not even see it; 403 where it may see but not act
            assert response.status_code in (403, 404), (role, target, response.status_code)
        assert state() == before, role
        assert AuditEvent.objects.count() == events, role
    for role in sorted(allowed, key=ROLES.index):
        act_as(client, world, role)
        response = getattr(client, method)(target, data(world) if data else None)
        assert response.status_code in (200, 302, 400), (role, target, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response.url, (role, target)
        if method == "post":
            break  # one allowed action is enough; it may change what the next would see


# The API, from its own schema: every operation must have a row. -------------------------------

API = "/api/v1"


def api_world(w):
    from tuixuan.api.models import ApiToken

    if "token" not in w:
        w["token"] = ApiToken.issue(w["users"][UNIT_A], "脚本")[0]
    return w


def c(w):
    return w["campaign"].key


# method, path template (as in the schema), url(world), body(world), who may
API_MATRIX = [
    ("get", "/campaigns/", lambda w: "/campaigns/", None, EVERYONE),
    ("get", "/campaigns/{key}", lambda w: f"/campaigns/{c(w)}", None, EVERYONE),
    ("get", "/nominations/", lambda w: "/nominations/", None, SIGNED_IN),
    ("post", "/nominations/from-docx", lambda w: "/nominations/from-docx", "docx", {UNIT_A}),
    ("post", "/nominations/", lambda w: "/nominations/", lambda w: {"campaign": c(w), "category": "volunteer", "unit": w["unit"].code, "values": {}}, {UNIT_A}),
    ("get", "/nominations/{uid}", lambda w: f"/nominations/{n(w)}", None, {UNIT_A, ORGANISER}),
    ("put", "/nominations/{uid}", lambda w: f"/nominations/{n(w)}", lambda w: {"values": {}}, {UNIT_A}),
    ("patch", "/nominations/{uid}", lambda w: f"/nominations/{n(w)}", lambda w: {"values": {}}, {UNIT_A}),
    ("get", "/nominations/{uid}/report", lambda w: f"/nominations/{n(w)}/report", None, {UNIT_A, ORGANISER}),
    ("post", "/nominations/{uid}/submit", lambda w: f"/nominations/{n(w)}/submit", None, {UNIT_A}),
    ("post", "/nominations/{uid}/withdraw", lambda w: f"/nominations/{n(w)}/withdraw", None, {UNIT_A}),
    ("post", "/nominations/{uid}/copy", lambda w: f"/nominations/{n(w)}/copy", None, {UNIT_A}),
    ("post", "/nominations/from-xlsx", lambda w: "/nominations/from-xlsx", "xlsx", {UNIT_A}),
    ("get", "/nominations/{uid}/photos", lambda w: f"/nominations/{n(w)}/photos", None, {UNIT_A, ORGANISER, EXPERT}),
    ("post", "/nominations/{uid}/photos", lambda w: f"/nominations/{n(w)}/photos", "upload", {UNIT_A}),
    ("get", "/nominations/{uid}/photos/{photo_id}", lambda w: f"/nominations/{n(w)}/photos/{w['photo'].pk}", None, {UNIT_A, ORGANISER, EXPERT}),
    ("delete", "/nominations/{uid}/photos/{photo_id}", lambda w: f"/nominations/{n(w)}/photos/{w['photo'].pk}", None, {UNIT_A}),
    ("post", "/nominations/{uid}/photos/{photo_id}/move", lambda w: f"/nominations/{n(w)}/photos/{w['photo'].pk}/move", lambda w: {"direction": "down"}, {UNIT_A}),
    ("get", "/nominations/{uid}/stamped-pdf", lambda w: f"/nominations/{n(w)}/stamped-pdf", None, {UNIT_A, ORGANISER}),
    ("post", "/nominations/{uid}/stamped-pdf", lambda w: f"/nominations/{n(w)}/stamped-pdf", "upload", {UNIT_A}),
    ("get", "/nominations/{uid}/stamped-pdf/file", lambda w: f"/nominations/{n(w)}/stamped-pdf/file", None, {UNIT_A, ORGANISER}),
    ("get", "/nominations/{uid}/form.docx", lambda w: f"/nominations/{n(w)}/form.docx", None, {UNIT_A, ORGANISER}),
    ("get", "/nominations/{uid}/form.pdf", lambda w: f"/nominations/{n(w)}/form.pdf", None, {UNIT_A, ORGANISER}),
    ("get", "/office/{campaign}/nominations", lambda w: f"/office/{c(w)}/nominations", None, {ORGANISER}),
    ("get", "/office/nominations/{uid}/checklist", lambda w: f"/office/nominations/{n(w)}/checklist", None, {ORGANISER}),
    ("post", "/office/nominations/{uid}/accept", lambda w: f"/office/nominations/{n(w)}/accept", lambda w: {"checked": []}, {ORGANISER}),
    ("post", "/office/nominations/{uid}/return", lambda w: f"/office/nominations/{n(w)}/return", lambda w: {"reason": "x"}, {ORGANISER}),
    ("get", "/office/nominations/{uid}/scores", lambda w: f"/office/nominations/{n(w)}/scores", None, {ORGANISER}),
    ("get", "/office/nominations/{uid}/flags", lambda w: f"/office/nominations/{n(w)}/flags", None, {ORGANISER}),
    ("post", "/office/nominations/{uid}/flags/{flag_id}", lambda w: f"/office/nominations/{n(w)}/flags/{w['flag'].pk}", lambda w: {"confirmed": True, "reason": "x"}, {ORGANISER}),
    ("post", "/office/nominations/{uid}/assign", lambda w: f"/office/nominations/{n(w)}/assign", lambda w: {"reviewer": w["users"][EXPERT].pk}, {ORGANISER}),
    ("post", "/office/{campaign}/auto-assign", lambda w: f"/office/{c(w)}/auto-assign", None, {ORGANISER}),
    ("post", "/office/{campaign}/forward-to-parent", lambda w: f"/office/{c(w)}/forward-to-parent", None, {ORGANISER}),
    ("get", "/office/{campaign}/ranking/{category}", lambda w: f"/office/{c(w)}/ranking/volunteer", None, {ORGANISER}),
    ("post", "/office/{campaign}/ranking/{category}/reviewed", lambda w: f"/office/{c(w)}/ranking/volunteer/reviewed", lambda w: {"nominations": [str(n(w))]}, {ORGANISER}),
    ("post", "/office/{campaign}/ranking/{category}/shortlist", lambda w: f"/office/{c(w)}/ranking/volunteer/shortlist", lambda w: {"nominations": [str(n(w))]}, {ORGANISER}),
    ("post", "/office/{campaign}/exports", lambda w: f"/office/{c(w)}/exports", lambda w: {"kind": "summary", "statuses": ["submitted"]}, {ORGANISER}),
    ("get", "/office/exports/{export_id}", lambda w: f"/office/exports/{w['export'].pk}", None, {ORGANISER}),
    ("get", "/office/exports/{export_id}/file", lambda w: f"/office/exports/{w['export'].pk}/file", None, {ORGANISER}),
    ("post", "/office/exports/{export_id}/retry", lambda w: f"/office/exports/{w['export'].pk}/retry", None, {ORGANISER}),
    ("get", "/office/{campaign}/units", lambda w: f"/office/{c(w)}/units", None, {ORGANISER}),
    ("post", "/office/{campaign}/units/{unit}/extension", lambda w: f"/office/{c(w)}/units/{w['unit'].code}/extension", lambda w: {"until": "2030-01-01T00:00:00+08:00", "reason": "x"}, {ORGANISER}),
    ("get", "/office/{campaign}/announcements", lambda w: f"/office/{c(w)}/announcements", None, {ORGANISER}),
    ("post", "/office/{campaign}/announcements", lambda w: f"/office/{c(w)}/announcements", lambda w: {"nominations": [str(n(w))]}, {ORGANISER}),
    ("post", "/office/announcements/{announcement_id}/close", lambda w: f"/office/announcements/{w['announcement'].pk}/close", lambda w: {"reason": "x"}, {ORGANISER}),
    ("get", "/office/{campaign}/objections", lambda w: f"/office/{c(w)}/objections", None, {ORGANISER}),
    ("post", "/office/objections/{objection_id}/answer", lambda w: f"/office/objections/{w['objection'].pk}/answer", lambda w: {"answer": "已核实"}, {ORGANISER}),
    ("post", "/office/{campaign}/forward", lambda w: f"/office/{c(w)}/forward", lambda w: {"nominations": [str(n(w))]}, {ORGANISER}),
    ("post", "/office/{campaign}/results", lambda w: f"/office/{c(w)}/results", lambda w: {"selected": [str(n(w))]}, {ORGANISER}),
    ("post", "/office/nominations/{uid}/publish", lambda w: f"/office/nominations/{n(w)}/publish", lambda w: {"reason": "x"}, {ORGANISER}),
    ("delete", "/office/nominations/{uid}/publish", lambda w: f"/office/nominations/{n(w)}/publish", None, {ORGANISER}),
    ("get", "/reviews/assignments", lambda w: "/reviews/assignments", None, SIGNED_IN),
    ("get", "/reviews/assignments/{assignment_id}", lambda w: f"/reviews/assignments/{w['assignment'].pk}", None, {EXPERT}),
    ("post", "/reviews/assignments/{assignment_id}/scores", lambda w: f"/reviews/assignments/{w['assignment'].pk}/scores", lambda w: {"scores": {}}, {EXPERT}),
    ("post", "/reviews/assignments/{assignment_id}/conflict", lambda w: f"/reviews/assignments/{w['assignment'].pk}/conflict", lambda w: {"reason": "回避"}, {EXPERT}),
    ("get", "/exemplars/", lambda w: "/exemplars/", None, EVERYONE),
    ("get", "/exemplars/{exemplar_id}", lambda w: f"/exemplars/{w['publication'].pk}", None, EVERYONE),
    ("get", "/tokens/", lambda w: "/tokens/", None, SIGNED_IN),
    ("post", "/tokens/", lambda w: "/tokens/", lambda w: {"name": "新令牌"}, SIGNED_IN),
    ("get", "/me", lambda w: "/me", None, SIGNED_IN),
    ("delete", "/tokens/{token_id}", lambda w: f"/tokens/{api_world(w)['token'].pk}", None, {UNIT_A}),
]  # fmt: skip


def test_every_api_operation_is_in_the_matrix():
    from tuixuan.api.api import api

    schema = api.get_openapi_schema()
    operations = {
        (method, path.removeprefix(API)) for path, ops in schema["paths"].items() for method in ops
    }
    assert operations == {(method, template) for method, template, *_ in API_MATRIX}


def _api_call(client, method, url, body, w):
    import json

    if body == "xlsx":
        from tuixuan.documents.batch import template_workbook

        workbook = SimpleUploadedFile("a.xlsx", template_workbook(w["nomination"].category))
        fields = {"campaign": c(w), "category": "volunteer", "unit": w["unit"].code, "save": True}
        return client.post(API + url, {"file": workbook, **fields})
    if body == "upload":
        is_pdf = url.endswith("stamped-pdf")
        upload = SimpleUploadedFile("a.pdf", pdf_bytes()) if is_pdf else photo_upload(seed=9)
        return client.post(API + url, {"file": upload})
    if body == "docx":
        fields = {"file": docx_upload(w), "campaign": c(w), "unit": w["unit"].code}
        return client.post(API + url, fields)
    data = json.dumps(body(w)) if body else ""
    return client.generic(method.upper(), API + url, data, content_type="application/json")


@pytest.mark.parametrize(
    ("method", "template", "url", "body", "allowed"),
    API_MATRIX,
    ids=[f"{m} {t}" for m, t, *_ in API_MATRIX],
)
def test_only_the_allowed_roles_get_through_the_api(
    client, world, method, template, url, body, allowed
):
    api_world(world)
    target = url(world)
    for role in sorted(set(ROLES) - allowed, key=ROLES.index):
        act_as(client, world, role)
        before = state()
        events = AuditEvent.objects.count()
        response = _api_call(client, method, target, body, world)
        expected = {401} if role == ANON else {403, 404}
        assert response.status_code in expected, (role, target, response.status_code)
        assert state() == before, role
        assert AuditEvent.objects.count() == events, role
    for role in sorted(allowed, key=ROLES.index):
        act_as(client, world, role)
        response = _api_call(client, method, target, body, world)
        assert response.status_code not in (401, 403, 404, 500), (
            role,
            target,
            response.status_code,
        )
        if method != "get":
            break
