"""How the official forms are laid out: one description both the Word and the PDF renderer follow.

The defaults are those of a government document's attachment (GB/T 9704): A4, margins 上 37 mm,
下 35 mm, 左 28 mm, 右 26 mm, the title in 方正小标宋 二号, the body in 仿宋 小四, a “附件” mark
in 黑体 三号 at the top left. A campaign file may change them in its ``[layout]`` table
(``docs/campaign-file.md``); the campaign keeps what the file set (``Campaign.layout``) and
:func:`layout_of` fills in the rest, so a file without the table lays out as before.

Every font is named twice, for Chinese (East Asian) and for Latin runs, so digits and letters
inside a label do not fall back to whatever the reader's office suite picks. The names are those
of a Windows office installation; where a face is missing (a Linux server), LibreOffice and
WeasyPrint substitute through fontconfig, and :data:`FALLBACK_FONT` is named last in the PDF.
"""

from dataclasses import dataclass, fields, replace

FALLBACK_FONT = "WenQuanYi Zen Hei"  # Debian's fonts-wqy-zenhei, the CJK face every server has

# 字号 (Chinese type sizes) a campaign file may name, in points.
SIZES = {"二号": 22.0, "小二": 18.0, "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0}
# Lines are set at exactly this many times the type size, in Word as in the PDF: "single" or
# "1.25 lines" depend on each face's own metrics, which LibreOffice and WeasyPrint read apart.
LINE = 1.5
TITLE_LINE = 1.3


@dataclass(frozen=True)
class Layout:
    margin_top_mm: int = 37
    margin_bottom_mm: int = 35
    margin_left_mm: int = 28
    margin_right_mm: int = 26
    annex: str = "附件"  # the mark at the top left; "" for none
    annex_numbered: bool = False  # 附件1, 附件2 … in the order of the categories
    title_font: str = "方正小标宋简体"
    title_size: str = "二号"
    heading_font: str = "黑体"  # the 附件 mark and the labels
    heading_latin_font: str = "Arial"
    body_font: str = "仿宋_GB2312"
    body_latin_font: str = "Times New Roman"
    body_size: str = "小四"
    label_width_percent: int = 30
    seal_space_mm: int = 40  # free space above the date line, for the unit's seal

    @property
    def title_pt(self) -> float:
        return SIZES[self.title_size]

    @property
    def body_pt(self) -> float:
        return SIZES[self.body_size]

    @property
    def line_pt(self) -> float:
        return self.body_pt * LINE

    @property
    def annex_pt(self) -> float:
        return SIZES["三号"]

    @property
    def text_width_mm(self) -> int:
        return 210 - self.margin_left_mm - self.margin_right_mm


# What a campaign file's [layout] table may set, and the range of each number.
NUMBERS = {
    "margin_top_mm": (10, 60),
    "margin_bottom_mm": (10, 60),
    "margin_left_mm": (10, 60),
    "margin_right_mm": (10, 60),
    "label_width_percent": (15, 50),
    "seal_space_mm": (0, 80),
}
FLAGS = ("annex_numbered",)
TEXTS = tuple(f.name for f in fields(Layout) if f.name not in NUMBERS and f.name not in FLAGS)
CHOSEN_SIZES = ("title_size", "body_size")


def layout_of(campaign, category) -> Layout:
    """The category's form layout: the campaign file's settings over the defaults.

    The campaign is passed in (a nomination holds it already) so that a package of a thousand
    forms does not read it once per form.
    """
    layout = Layout(**(campaign.layout or {}))
    if layout.annex and layout.annex_numbered:
        layout = replace(layout, annex=f"{layout.annex}{category.order + 1}")
    return layout
