"""The API against its own OpenAPI schema, as every kind of caller: schemathesis generates requests.

The schema is read from the running app (``/api/v1/openapi.json``) and each operation is called
in-process through the WSGI application with a fixed seed, in every phase schemathesis has: the
schema's examples, coverage (boundary values, negative cases, wrong content types, missing and
extra parameters), fuzzing (a bounded number of examples), and stateful sequences that follow the
links between operations. Each runs as the anonymous visitor, a unit member, an expert and the
organiser (real tokens made here), with schemathesis's default checks: never a server error, only
status codes the schema lists, bodies and headers that match it, invalid data refused and valid
data accepted.

About half of the generated identifiers are replaced by real ones (a nomination, a photo, an
assignment, an export, an exemplar, a unit, a 公示 and an objection to it), so the operations are
exercised past "not found" too.

Hypothesis runs all examples of one operation inside one test, so the data below is made once per
operation and role (pytest-django's transaction is rolled back after each) and shared by its
examples; its function-scoped fixture health check is therefore switched off on purpose.
"""

from datetime import date, timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.api.conftest import expert, secret_for
from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.documents.models import Export, ExportKind
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status
from tuixuan.review import services as review_services
from tuixuan.showcase import services as showcase_services
from tuixuan.wsgi import application

SEED = 20241
MAX_EXAMPLES = 10  # fuzzing examples per operation and role: keeps `make test` in its budget
STATEFUL_STEPS = 30
ROLES = ["anonymous", "member", "reviewer", "organiser"]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
schema.config.seed = SEED
# Schema-valid requests may still be refused with 422 when a rule of the notice or the state of
# the nomination forbids them (submitting an incomplete draft, a photo below the size bound):
# no schema can say that. 422 is what the API documents for exactly this.
schema.config.checks.positive_data_acceptance.expected_statuses += ["422"]


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
    Nomination.objects.filter(pk=shown.pk).update(status=Status.SELECTED)
    publication = showcase_services.publish(organiser, shown)
    export = Export.objects.create(
        campaign=gx, requested_by=organiser, kind=ExportKind.SUMMARY, statuses=["submitted"]
    )
    announced = complete_nomination(member, gx, unit, "volunteer", name="赵公示")
    services.submit(member, announced, now=BEFORE_DEADLINE)
    Nomination.objects.filter(pk=announced.pk).update(status=Status.SHORTLISTED)
    today = date.today()  # its end typed in: counted, it may be refused (a year not yet known)
    announcement = review_services.announce(
        organiser, gx, [announced], starts_on=today, ends_on=today + timedelta(days=14)
    )
    objection = review_services.file_objection(
        announcement, announced, name="张三", contact="13900000000", content="异议内容"
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
            "announcement_id": str(announcement.pk),
            "objection_id": objection.pk,
            "unit": unit.code,
            "campaign": gx.key,
            "key": gx.key,
            "category": "volunteer",
        },
    }


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.fixtures.pdfs import pdf_bytes

    return SimpleUploadedFile("stamped.pdf", pdf_bytes(), content_type="application/pdf")


@pytest.fixture(params=ROLES)
def role(request):
    return request.param


def _aim(case, world, role):
    """Replace about half of the generated identifiers (deterministically) by real ones."""
    params = case.path_parameters or {}
    for name in list(params):
        if len(str(params[name])) % 2:
            continue
        if name == "uid":
            params[name] = world["office_uid" if role == "organiser" else "unit_uid"]
        elif name in world["ids"]:
            params[name] = world["ids"][name]


CALLER = {"token": None}  # the token of the role being tested; None: anonymous


@schema.auth()
class RoleToken:
    """The caller's token as schemathesis's own auth, so that its checks know the token is
    real and their variations (the same call with no token, or a broken one) replace it."""

    def get(self, case, context):
        return CALLER["token"]

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def caller(world, role):
    CALLER["token"] = None if role == "anonymous" else world["tokens"][role]
    yield role
    CALLER["token"] = None


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
def test_every_operation_conforms_to_the_schema(case, world, caller):
    _aim(case, world, caller)
    case.validate_response(case.call())


@pytest.mark.django_db
def test_stateful_sequences_conform_to_the_schema(world, caller):
    """Sequences of calls that feed one answer's identifiers into the next call (create a
    nomination, then read, change, upload to and submit it ...), as each caller."""

    class Caller(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            _aim(case, world, caller)
            return {}

    Caller.run(
        settings=settings(
            max_examples=MAX_EXAMPLES,
            stateful_step_count=STATEFUL_STEPS,
            derandomize=True,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
