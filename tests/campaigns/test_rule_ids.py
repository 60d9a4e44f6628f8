"""A refusal cites the rule as the campaign file numbers it, never an ID written in the code.

The Guangxi file numbers the deadline G2, the photos G6, the stamped PDF G3 and the quota G1; a
campaign that numbers them otherwise sees its own numbers in every refusal.
"""

import re
import tomllib
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import tuixuan
from tests.conftest import BEFORE_DEADLINE, CHINA, complete_nomination, photo_upload
from tuixuan.campaigns.loader import load_campaign_file
from tuixuan.campaigns.models import Criterion
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import services
from tuixuan.nominations.reports import evaluate

AFTER_DEADLINE = datetime(2025, 3, 1, 10, 0, tzinfo=CHINA)


@pytest.fixture
def renumbered(gx):
    for check, rule_id in {"deadline": "Z2", "photos": "Z6", "stamped_pdf": "Z3"}.items():
        Criterion.objects.filter(campaign=gx, category=None, check_kind=check).update(
            rule_id=rule_id
        )
    return gx


def test_refusals_cite_the_campaigns_own_rule_ids(renumbered, unit, member):
    draft = complete_nomination(member, renumbered, unit, "volunteer", photos=2)

    with pytest.raises(Refused) as late:
        services.update_nomination(member, draft, draft.values, now=AFTER_DEADLINE)
    with pytest.raises(Refused) as small:
        small_photo = photo_upload(size=200_000, seed=7)
        services.add_photo(member, draft, small_photo, now=BEFORE_DEADLINE)
    with pytest.raises(Refused) as not_pdf:
        fake = SimpleUploadedFile("盖章.pdf", b"not a pdf at all")
        services.attach_stamped_pdf(member, draft, fake, now=BEFORE_DEADLINE)

    assert (late.value.rule_id, small.value.rule_id, not_pdf.value.rule_id) == ("Z2", "Z6", "Z3")
    assert small.value.for_people.startswith("【Z6】")


def test_a_campaign_without_such_a_criterion_refuses_without_an_id(gx, unit, member):
    Criterion.objects.filter(campaign=gx, category=None, check_kind="photos").delete()
    draft = complete_nomination(member, gx, unit, "volunteer", photos=2)
    with pytest.raises(Refused) as small:
        services.add_photo(member, draft, photo_upload(size=200_000, seed=7), now=BEFORE_DEADLINE)
    assert small.value.rule_id == ""
    assert "照片" in small.value.message


# "S3" the storage protocol ("S3-compatible", "S3 storage", "S3 兼容") is not the rule S3.
RULE_ID = re.compile(r"\b[GVOPS]\d{1,2}\b(?![- ]?(?:compatible|storage|兼容))")
SOURCE = Path(tuixuan.__file__).parent
WRITTEN_BY_US = ("*.py", "*.html", "*.txt", "*.js")


def test_no_rule_id_in_python_source():
    """Rule IDs belong to the campaign file; code, templates and scripts ask the campaign for
    them (``rule_id_for``, ``{% rule_mark %}``), so a campaign numbering its rules otherwise is
    never contradicted. Migrations are left out: they hold history, not rules."""
    found = [
        f"{path.relative_to(SOURCE.parent)}:{number}: {line.strip()}"
        for pattern in WRITTEN_BY_US
        for path in sorted(SOURCE.rglob(pattern))
        if "migrations" not in path.parts and "vendor" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RULE_ID.search(line)
    ]
    assert not found, "rule IDs written in the source:\n" + "\n".join(found)


CAMPAIGN_FILES = sorted((Path(__file__).parents[2] / "campaigns").glob("*.toml"))


@pytest.mark.parametrize("path", CAMPAIGN_FILES, ids=lambda path: path.stem)
def test_every_campaign_file_declares_its_forwarding_rule(db, path):
    parent = tomllib.loads(path.read_text(encoding="utf-8"))["campaign"].get("parent")
    if parent:  # a parent campaign is loaded first (gx-2024 names national-2024-example)
        load_campaign_file(path.parent / f"{parent}.toml")
    campaign = load_campaign_file(path)
    [criterion] = campaign.criteria.filter(category=None, check_kind="forwarding")
    assert campaign.rule_id_for("forwarding") == criterion.rule_id == "G7"
    assert criterion.text.strip()


def test_a_nominations_report_skips_the_forwarding_rule(gx, unit, member):
    """择优推报 is not a property of one nomination: its report neither passes nor fails it."""
    draft = complete_nomination(member, gx, unit, "volunteer")
    report = evaluate(draft, now=BEFORE_DEADLINE)
    assert report.passed
    assert report.by_rule("G7") == []
    assert {r.rule_id for r in report.results} >= {"G1", "G2", "G3", "G4", "G6"}


def test_the_units_form_marks_the_rules_with_the_campaigns_own_ids(
    client, renumbered, unit, member
):
    draft = complete_nomination(member, renumbered, unit, "volunteer", photos=2)
    unit.participations.update(extension_until=timezone.now() + timedelta(days=30))
    client.force_login(member)
    page = client.get(f"/n/{draft.uid}/").content.decode()
    assert "【Z6】2—3张" in page and 'data-rule="【Z6】"' in page
    assert "【Z3】WORD版由系统生成" in page
    assert "【G6】" not in page and "【G3】" not in page
