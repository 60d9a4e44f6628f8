"""The API against its own OpenAPI schema: schemathesis generates requests for every operation.

The schema is read from the running app (``/api/v1/openapi.json``) and each operation is called
in-process through the WSGI application, with a fixed seed and a bounded number of examples, both
valid and invalid ones. Every answer must not be a server error, must use a status code the
schema lists for the operation, and must match the schema of that status code.

The calls carry a real token: the unit member's for the unit's operations, the organiser's for
the office and the expert's for the reviews; public operations are called anonymously. About half
of the generated identifiers are replaced by real ones (a nomination, a photo, an assignment, an
export, an exemplar), so the operations are exercised past "not found" too.

Hypothesis runs all examples of one operation inside one test, so the data below is made once per
operation (pytest-django's transaction is rolled back after each) and shared by its examples; its
function-scoped fixture health check is therefore switched off on purpose.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import expert, secret_for
from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.documents.models import Export, ExportKind
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.review import services as review_services
from tuixuan.showcase import services as showcase_services
from tuixuan.wsgi import application

SEED = 20241
MAX_EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.seed = SEED


@pytest.fixture
def in_process_requests():
    """Django closes "old" connections around each request; the test client switches that off,
    and so must a WSGI call inside a test transaction (or it would close the test's connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(in_process_requests, extended, gx, unit, member, organiser):
    """One of each thing an operation can name, and a token for each kind of caller."""
    draft = complete_nomination(member, gx, unit, "volunteer")
    services.attach_stamped_pdf(member, draft, _pdf(), now=BEFORE_DEADLINE)
    submitted = complete_nomination(member, gx, unit, "volunteer", name="王小明")
    services.submit(member, submitted, now=BEFORE_DEADLINE)
    scored = complete_nomination(member, gx, unit, "project")
    services.submit(member, scored, now=BEFORE_DEADLINE)
    services.accept(organiser, scored)
    scored.refresh_from_db()
    judge = expert(gx, "judge")
    assignment = review_services.assign(organiser, scored, judge)
    shown = complete_nomination(member, gx, unit, "organisation")
    services.submit(member, shown, now=BEFORE_DEADLINE)
    Nomination.objects.filter(pk=shown.pk).update(status=Status.SHORTLISTED)
    publication = showcase_services.publish(organiser, shown)
    export = Export.objects.create(
        campaign=gx, requested_by=organiser, kind=ExportKind.SUMMARY, statuses=["submitted"]
    )
    return {
        "tokens": {
            "member": secret_for(member),
            "organiser": secret_for(organiser),
            "reviewer": secret_for(judge),
        },
        "unit_uid": str(draft.uid),
        "office_uid": str(submitted.uid),
        "ids": {
            "photo_id": draft.photos.first().pk,
            "assignment_id": assignment.pk,
            "export_id": str(export.pk),
            "exemplar_id": str(publication.pk),
            "campaign": gx.key,
            "key": gx.key,
            "category": "volunteer",
        },
    }


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.fixtures.pdfs import pdf_bytes

    return SimpleUploadedFile("stamped.pdf", pdf_bytes(), content_type="application/pdf")


def _caller(path: str) -> str:
    if "/office/" in path:
        return "organiser"
    if "/reviews/" in path:
        return "reviewer"
    return "member"


def _aim(case, world):
    """Replace about half of the generated identifiers (deterministically) by real ones."""
    params = case.path_parameters or {}
    for name in list(params):
        if len(str(params[name])) % 2:
            continue
        if name == "uid":
            key = "office_uid" if _caller(case.operation.path) == "organiser" else "unit_uid"
            params[name] = world[key]
        elif name in world["ids"]:
            params[name] = world["ids"][name]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_conforms_to_the_schema(case, world):
    _aim(case, world)
    headers = {}
    if case.operation.definition.raw.get("security"):
        headers["Authorization"] = f"Bearer {world['tokens'][_caller(case.operation.path)]}"
    response = case.call(headers=headers)
    case.validate_response(response, checks=CHECKS)
