"""Every page people use all day costs the same number of queries at 10 and at 1,000 nominations.

A page whose queries grow with the rows is a page that gets slower as the campaign fills up, on
the deadline day when it matters most (issue 18). The same pages are timed in bench/pages.py.
"""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.conftest import make_unit, valid_values
from tests.nominations.formdata import post_data
from tuixuan.api.models import ApiToken
from tuixuan.campaigns.checks import name_of
from tuixuan.nominations.models import Nomination, Status
from tuixuan.showcase.models import Publication
from tuixuan.units.models import Participation, UnitKind

KEYS = ["volunteer", "organisation", "project", "service-point"]


def made_up(gx, unit, n, status):
    key = KEYS[n % len(KEYS)]
    category = gx.categories.get(key=key)
    values = valid_values(key)
    if isinstance(values["name"], dict):  # a service point is named by its address
        values["name"]["community"] = f"东风{n:05d}村"
    else:
        values["name"] = f"{values['name']}{n:05d}"
    return Nomination(
        campaign=gx,
        category=category,
        unit=unit,
        values=values,
        name=name_of(category, values),
        status=status,
        submitted_at=timezone.now() - timedelta(days=n % 9) if status != Status.DRAFT else None,
    )


def test_the_daily_pages_cost_the_same_queries_at_10_and_1000_nominations(
    gx, unit, member, organiser
):
    Participation.objects.filter(unit=unit).update(
        extension_until=timezone.now() + timedelta(days=30)  # the forms stay open
    )
    other = make_unit(gx, "gx-agri-society", "广西农学会", UnitKind.SOCIETY)
    draft = made_up(gx, unit, 0, Status.DRAFT)
    draft.save()
    _, token = ApiToken.issue(member, name="script")

    def add(start, stop):
        Nomination.objects.bulk_create(
            made_up(gx, unit if n % 2 else other, n, Status.SUBMITTED) for n in range(start, stop)
        )

    add(1, 11)
    shown = Nomination.objects.filter(status=Status.SUBMITTED).first()
    Nomination.objects.filter(pk=shown.pk).update(status=Status.SELECTED)
    exemplar = Publication.objects.create(nomination=shown, published_at=timezone.now())

    clerk, office, script, visitor = Client(), Client(), Client(), Client()
    clerk.force_login(member)
    office.force_login(organiser)
    script.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    home, api = f"/c/{gx.key}/u/{unit.code}/", "/api/v1/"
    pages = {
        "unit: new-nomination form": (clerk, "get", f"{home}new/volunteer/", None),
        "unit: draft edit form": (clerk, "get", f"/n/{draft.uid}/", None),
        "unit: campaign home": (clerk, "get", home, None),
        "unit: my redirect": (clerk, "get", "/my/", None),
        "unit: save draft": (clerk, "post", f"/n/{draft.uid}/", post_data(draft.values)),
        "API: the unit's list": (script, "get", f"{api}nominations/?campaign={gx.key}", None),
        "office: review queue": (office, "get", f"/office/c/{gx.key}/review/", None),
        "office: review queue, 200": (
            office,
            "get",
            f"/office/c/{gx.key}/review/?per_page=200",
            None,
        ),
        "office: API list": (office, "get", f"{api}office/{gx.key}/nominations?limit=200", None),
        "office: dashboard": (office, "get", f"/office/c/{gx.key}/", None),
        "public: exemplar list": (visitor, "get", "/exemplars/?page=1", None),
        "public: exemplar page": (visitor, "get", f"/exemplars/{exemplar.pk}/?page=1", None),
    }

    def counts():
        found = {}
        for name, (client, method, url, data) in pages.items():

            def ask(client=client, method=method, url=url, data=data):
                return getattr(client, method)(url, data) if data else client.get(url)

            # Each page once unmeasured just before: what is written at most once in a while
            # (an API token's last use, once a minute) is written there, however slow the run.
            ask()
            with CaptureQueriesContext(connection) as queries:
                response = ask()
            assert response.status_code in (200, 302), (name, response.status_code)
            found[name] = len(queries)
        return found

    counts()  # the first request of each fills what is made once (sessions, the cache's table)
    few = counts()
    add(11, 1001)
    assert counts() == few
