"""The campaign file's [layout] reaches both forms: what it sets, the Word and the PDF form follow;
what it leaves out keeps the government-document defaults."""

import io

from docx import Document
from docx.oxml.ns import qn

from tests.campaigns.test_loader import GX, load_gx, write_variant
from tests.conftest import complete_nomination, make_member, make_unit
from tuixuan.documents.docx import nomination_docx
from tuixuan.documents.pdf import form_html


def test_a_campaign_files_layout_sets_margins_numbered_annex_and_body_size_in_both_forms(
    db, tmp_path
):
    path = write_variant(
        GX,
        tmp_path,
        ("margin_left_mm = 28", "margin_left_mm = 30"),
        ('annex = "附件"', 'annex = "附件"\nannex_numbered = true'),
        ('body_size = "小四"', 'body_size = "四号"'),
    )
    campaign = load_gx(path)
    unit = make_unit(campaign)
    nomination = complete_nomination(make_member(unit), campaign, unit, "organisation")

    document = Document(io.BytesIO(nomination_docx(nomination)))
    section = document.sections[0]
    assert round(section.left_margin.mm) == 30
    assert round(section.top_margin.mm) == 37  # not set in the variant's change: as before
    assert document.paragraphs[0].text == "附件2"  # the second category
    value = document.tables[0].rows[0].cells[1].paragraphs[0].runs[0]
    assert value.font.size.pt == 14  # 四号
    assert value._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"

    html = form_html(nomination)
    assert "margin: 37mm 26mm 35mm 30mm" in html
    assert '<p class="annex heading-font">附件2</p>' in html
    assert "font-size: 14.0pt" in html


def test_a_campaign_file_without_a_layout_gets_the_government_document_defaults(db):
    campaign = load_gx()
    unit = make_unit(campaign)
    nomination = complete_nomination(make_member(unit), campaign, unit, "volunteer")
    nomination.campaign.layout = {}  # as a file written before [layout] existed
    document = Document(io.BytesIO(nomination_docx(nomination)))
    section = document.sections[0]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(margin.mm) for margin in margins] == [37, 35, 28, 26]
    assert document.paragraphs[0].text == "附件"
