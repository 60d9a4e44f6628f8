"""The Word forms open in a real office suite, not only in python-docx.

The forms are filled from a template by our own code, and the units and the organiser open them
in Word, WPS or LibreOffice. Debian's LibreOffice (headless, installed by ``make test``) converts
each category's form to PDF; the PDF must hold the values, the unit's line and the photos.
"""

import io
import shutil
import subprocess

from pypdf import PdfReader

from tests.conftest import complete_nomination
from tests.documents.test_pdf import CATEGORIES, images_drawn, squeeze, text_of
from tuixuan.documents.docx import nomination_docx


def to_pdf_with_libreoffice(paths, outdir):
    """Convert the .docx files to PDF in ONE headless LibreOffice run (start-up is most of it)."""
    soffice = shutil.which("soffice")
    assert soffice, "没有找到 LibreOffice（soffice）：make test 会安装它"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{outdir}-profile",  # its own profile: runs in parallel
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *(str(path) for path in paths),
        ],
        capture_output=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")


def test_libreoffice_opens_every_categorys_form_with_its_values_and_photos(
    gx, unit, member, tmp_path
):
    made = {}
    for key in CATEGORIES:
        nomination = complete_nomination(member, gx, unit, key, photos=2)
        (tmp_path / f"{key}.docx").write_bytes(nomination_docx(nomination))
        made[key] = nomination
    to_pdf_with_libreoffice([tmp_path / f"{key}.docx" for key in CATEGORIES], tmp_path / "pdf")
    for key, nomination in made.items():
        path = tmp_path / "pdf" / f"{key}.pdf"
        assert path.exists(), f"LibreOffice 未能打开 {key}.docx"
        reader = PdfReader(io.BytesIO(path.read_bytes()))
        text = text_of(reader)
        assert squeeze(nomination.name) in text
        assert squeeze(nomination.values["phone"]) in text
        assert "推荐单位：南宁市科学技术协会（盖章）" in text
        assert len(images_drawn(reader)) == 2, key
