"""Proof on paper: the Word form (through LibreOffice) and the PDF form (WeasyPrint) print alike.

Every category's form is filled twice, at typical length (the test data) and at maximal length
(a 1,000-character text, as many photos as the category allows, six service teams). All the
Word forms go through ONE headless LibreOffice conversion; each result is compared with the
WeasyPrint PDF of the same nomination, page by page, on the text of each page:

- the same number of pages;
- no page holding only the photo caption (the page with the caption draws the photos) or only
  the seal block (the page with 推荐单位（盖章） also holds the photos, and the date line);
- every value (the start of each of its lines) on the same page in both, and the long text
  starting on the same page;
- at least ``seal_space_mm`` between the unit's line and the date line, for the seal.

The pages are kept as PNG under ``var/paper-proof/<database>/`` (the path is printed) for a person
to look at; one folder per database, because ``make test`` runs SQLite and PostgreSQL side by side.
"""

import io
import shutil
import subprocess
from pathlib import Path

from django.db import connection
from pypdf import PdfReader

from tests.conftest import category, complete_nomination
from tests.documents.test_office_suite import to_pdf_with_libreoffice
from tests.documents.test_pdf import CATEGORIES, images_drawn, squeeze
from tuixuan.campaigns.layout import layout_of
from tuixuan.documents.docx import nomination_docx
from tuixuan.documents.pdf import form_html, render_pdf
from tuixuan.documents.rows import form_rows, signature_lines

ARTEFACTS = Path(__file__).resolve().parents[2] / "var" / "paper-proof" / connection.vendor
LONG_TEXT_KEY = {"volunteer": "deeds", "organisation": "deeds", "project": "summary"}
PARAGRAPH = (
    "长期深入乡村开展农业技术培训和科普讲座，带动群众科学种养，增收致富。"
    "组织专家团队编写实用技术手册，开展线上线下答疑2024次，服务农户3.5万人次。"
)
MM = 72 / 25.4  # points


def maximal_changes(key) -> dict:
    """The longest form a unit can hand in: 1,000 characters in five paragraphs, six teams."""
    paragraph = (PARAGRAPH * 8)[:200]
    changes = {LONG_TEXT_KEY.get(key, "deeds"): "\n".join([paragraph] * 5)}
    if key == "service-point":
        registration = {"registered": True, "number": "DMZY-2021-0088"}
        changes["teams"] = [
            {"name": f"东风村第{n}科技志愿服务队（乡村振兴科技服务）", "registration": registration}
            for n in range(1, 7)
        ]
    return changes


def page_texts(data) -> list[str]:
    return [squeeze(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def pages_drawing_images(data) -> set[int]:
    reader = PdfReader(io.BytesIO(data))
    return {
        number for number, page in enumerate(reader.pages) if images_drawn(_alone(reader, page))
    }


def _alone(reader, page):
    """A reader view of one page, for :func:`images_drawn` (which walks ``reader.pages``)."""

    class OnePage:
        pages = (page,)

    return OnePage


def line_heights(data, *needles) -> dict[str, float]:
    """The height on its page (points from the bottom) of the first text run holding each needle."""
    found = {}
    for page in PdfReader(io.BytesIO(data)).pages:

        def visit(text, cm, tm, font, size, page_found=found):
            for needle in needles:
                if needle not in page_found and needle in squeeze(text):
                    page_found[needle] = tm[5] * cm[3] + cm[5]

        page.extract_text(visitor_text=visit)
    return found


def first_page_with(pages, text) -> int | None:
    return next((n for n, page in enumerate(pages) if text in page), None)


def render_pngs(pdf_path, stem):
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(pdf_path), str(ARTEFACTS / stem)],
        check=True,
        timeout=120,
    )


def test_word_and_pdf_forms_print_alike_for_every_category_typical_and_maximal(
    gx, unit, member, tmp_path
):
    shutil.rmtree(ARTEFACTS, ignore_errors=True)
    ARTEFACTS.mkdir(parents=True)
    forms = {}
    for key in CATEGORIES:
        most_photos = category(gx, key).photo_max
        for size, changes, photos in (
            ("typical", {}, None),
            ("maximal", maximal_changes(key), most_photos),
        ):
            nomination = complete_nomination(member, gx, unit, key, photos=photos, **changes)
            stem = f"{key}-{size}"
            (tmp_path / f"{stem}.docx").write_bytes(nomination_docx(nomination))
            pdf = render_pdf(form_html(nomination))
            (ARTEFACTS / f"{stem}-weasyprint.pdf").write_bytes(pdf)
            forms[stem] = nomination, pdf
    to_pdf_with_libreoffice([tmp_path / f"{stem}.docx" for stem in forms], tmp_path / "word")

    problems, counts = [], []
    for stem, (nomination, pdf) in forms.items():
        word_path = tmp_path / "word" / f"{stem}.pdf"
        assert word_path.exists(), f"LibreOffice 未能打开 {stem}.docx"
        word = word_path.read_bytes()
        shutil.copy(word_path, ARTEFACTS / f"{stem}-word.pdf")
        render_pngs(word_path, f"{stem}-word")
        render_pngs(ARTEFACTS / f"{stem}-weasyprint.pdf", f"{stem}-weasyprint")
        texts = {"Word": page_texts(word), "PDF": page_texts(pdf)}
        counts.append(f"{stem}: Word {len(texts['Word'])} 页, PDF {len(texts['PDF'])} 页")
        if len(texts["Word"]) != len(texts["PDF"]):
            problems.append(f"{stem}：页数不同（{counts[-1]}）")
        unit_line, date_line = (squeeze(line) for line in signature_lines(nomination))
        caption = squeeze(nomination.category.photo_label)
        for name, data in (("Word", word), ("PDF", pdf)):
            pages, with_images = texts[name], pages_drawing_images(data)
            caption_page = first_page_with(pages, caption)
            seal_page = first_page_with(pages, unit_line)
            if caption_page not in with_images:
                problems.append(f"{stem} {name}：照片说明所在页（{caption_page}）没有照片")
            if seal_page not in with_images:
                problems.append(f"{stem} {name}：盖章栏所在页（{seal_page}）与照片分离")
            if seal_page is None or date_line not in pages[seal_page]:
                problems.append(f"{stem} {name}：“年月日”不与推荐单位在同一页")
            heights = line_heights(data, unit_line, date_line)
            space = heights.get(unit_line, 0) - heights.get(date_line, 0)
            seal_space = layout_of(gx, nomination.category).seal_space_mm * MM
            if space < seal_space:
                problems.append(f"{stem} {name}：盖章处只留出 {space / MM:.0f} mm")
        for row in form_rows(nomination):
            lines = [row.text] if row.long else row.text.splitlines()
            # The start of each line: a wrapped line may come out around the label beside it.
            for value in filter(None, (squeeze(line)[:12] for line in lines)):
                where = {name: first_page_with(pages, value) for name, pages in texts.items()}
                if None in where.values() or where["Word"] != where["PDF"]:
                    problems.append(f"{stem}：{row.label}“{value}”所在页不同（{where}）")
    print(f"\n纸面比对的页面图片：{ARTEFACTS}\n" + "\n".join(counts))
    assert not problems, "\n".join(problems)
