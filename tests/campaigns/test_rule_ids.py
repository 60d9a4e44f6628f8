"""A refusal cites the rule as the campaign file numbers it, never an ID written in the code.

The Guangxi file numbers the deadline G2, the photos G6, the stamped PDF G3 and the quota G1; a
campaign that numbers them otherwise sees its own numbers in every refusal.
"""

import re
from datetime import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

import tuixuan
from tests.conftest import BEFORE_DEADLINE, CHINA, complete_nomination, photo_upload
from tuixuan.campaigns.models import Criterion
from tuixuan.common.exceptions import Refused
from tuixuan.nominations import services

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


RULE_ID = re.compile(r"\b[GVOPS]\d{1,2}\b")
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
