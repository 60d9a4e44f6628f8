"""One "object by id, 404 unless permitted" for pages and API: a stranger cannot tell an object
that exists but is not theirs from one that does not exist — same status, same message."""

import re
import uuid

import pytest

from tests.api.conftest import accepted, assignment, call, judge, secret_for, submitted  # noqa: F401 — fixtures
from tests.conftest import make_member
from tuixuan.documents.models import Export, ExportKind
from tuixuan.nominations.models import Status

ALERT = re.compile(r'<section class="card narrow" role="alert">.*?</section>', re.S)


@pytest.fixture
def outsider(other_unit):
    return make_member(other_unit, "outsider")


@pytest.fixture
def export(gx, organiser):
    return Export.objects.create(
        campaign=gx, requested_by=organiser, kind=ExportKind.SUMMARY, statuses=[Status.SUBMITTED]
    )


def web_pages(nomination, export, task):
    """(existing path, the same path for an id that does not exist)"""
    missing_uid, missing_export, missing_pk = uuid.uuid4(), uuid.uuid4(), 999_999
    photo = nomination.photos.first().pk
    return [
        (f"/n/{nomination.uid}/", f"/n/{missing_uid}/"),
        (f"/n/{nomination.uid}/photos/{photo}/", f"/n/{missing_uid}/photos/{photo}/"),
        (f"/office/n/{nomination.uid}/", f"/office/n/{missing_uid}/"),
        (f"/n/{nomination.uid}/form.docx", f"/n/{missing_uid}/form.docx"),
        (f"/office/exports/{export.pk}/", f"/office/exports/{missing_export}/"),
        (f"/review/a/{task.pk}/", f"/review/a/{missing_pk}/"),
    ]


def test_a_stranger_gets_the_same_404_page_for_an_object_not_theirs_and_one_that_is_not_there(
    client,
    outsider,
    submitted,  # noqa: F811
    export,
    assignment,  # noqa: F811
):
    client.force_login(outsider)
    for existing, missing in web_pages(submitted, export, assignment):
        there, absent = client.get(existing), client.get(missing)
        assert (there.status_code, absent.status_code) == (404, 404), existing
        shown = ALERT.search(there.content.decode()).group(0)
        assert shown == ALERT.search(absent.content.decode()).group(0), existing
        assert submitted.name not in there.content.decode()


def test_a_stranger_gets_the_same_404_from_the_api_for_an_object_not_theirs_and_one_not_there(
    client,
    outsider,
    submitted,  # noqa: F811
    export,
    assignment,  # noqa: F811
):
    token = secret_for(outsider)
    missing = uuid.uuid4()
    for existing, absent in [
        (f"/nominations/{submitted.uid}", f"/nominations/{missing}"),
        (f"/nominations/{submitted.uid}", "/nominations/not-a-uid"),
        (f"/nominations/{submitted.uid}/form.docx", f"/nominations/{missing}/form.docx"),
        (
            f"/office/nominations/{submitted.uid}/checklist",
            f"/office/nominations/{missing}/checklist",
        ),
        (f"/office/exports/{export.pk}", f"/office/exports/{missing}"),
        (f"/office/exports/{export.pk}", "/office/exports/not-an-id"),
        (f"/reviews/assignments/{assignment.pk}", "/reviews/assignments/999999"),
    ]:
        there, gone = (
            call(client, "get", existing, token=token),
            call(client, "get", absent, token=token),
        )
        assert (there.status_code, gone.status_code) == (404, 404), existing
        assert there.json() == gone.json(), existing
        assert there.json()["message"].startswith("没有找到")


def test_whoever_is_permitted_still_gets_the_object(client, member, submitted):  # noqa: F811
    client.force_login(member)
    assert client.get(f"/n/{submitted.uid}/").status_code == 200
    token = secret_for(member)
    assert call(client, "get", f"/nominations/{submitted.uid}", token=token).status_code == 200
