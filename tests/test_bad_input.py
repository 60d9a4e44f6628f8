"""Whatever a form receives, the answer is a clear 4xx or a clean save; never a 500, never junk."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tuixuan.campaigns.kinds import clean_values
from tuixuan.nominations.models import Nomination

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\u3000",
        "二十",
        "２０",
        "-1",
        "NaN",
        "inf",
        "1e309",
        "0x1F",
        "60%",
        "100.0001",
        "2021-02-30",
        "9999-12",
        "0000-00",
        "\u202e逆序\u202c",
        "👩‍🔬科技志愿者",
        "\x00\x07\x1b",
        "<script>alert(1)</script>",
        "'; DROP TABLE nominations_nomination; --",
        "../../etc/passwd",
        "是",
        "否",
        "也许",
        "13807710001",
        "0771-2863980",
        "1" * 40,
    ]
)
HUGE = st.integers(min_value=600, max_value=30000).map(lambda n: "字" * n)
VALUE = st.one_of(NASTY, st.text(max_size=40), HUGE)


@pytest.fixture
def form(client, gx, unit, member):
    unit.participations.update(extension_until=timezone.now() + timedelta(days=5))
    client.force_login(member)
    return client


@pytest.mark.parametrize("key", ["volunteer", "organisation", "project", "service-point"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_posted_form_is_saved_clean_or_refused_with_a_4xx(form, gx, unit, key, data):
    category = gx.categories.get(key=key)
    names = []
    for spec in category.fields.all():
        names.append(spec.key)
        for part in (spec.options or {}).get("parts", []):
            names.append(f"{spec.key}__{part['key']}")
        if spec.kind == "registration":
            names += [f"{spec.key}__registered", f"{spec.key}__number"]
        if spec.kind in ("choice", "multi_choice"):
            names.append(f"{spec.key}__other")
        for item in (spec.options or {}).get("items", []):
            names.append(f"{spec.key}__0__{item['key']}")
            if item["kind"] == "registration":
                names.append(f"{spec.key}__0__{item['key']}__registered")
    posted = {name: data.draw(VALUE, label=name) for name in names}
    before = Nomination.objects.count()
    response = form.post(f"/c/{gx.key}/u/{unit.code}/new/{key}/", {**posted, "action": "save"})
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert Nomination.objects.count() == before
        assert "填写内容有误" in response.content.decode() or "G2" in response.content.decode()
    else:
        saved = Nomination.objects.latest("pk")
        again, errors = clean_values(category.fields.all(), saved.values)
        assert errors == {} and again == saved.values  # stored values are clean and stable
        assert all("\x00" not in str(value) for value in saved.values.values())
