"""The notice's template for a service point's name, level by level, as data.

“___省（区、市）___市___县（区）___街道（乡镇）___社区（村）”: after each blank the level's
word, the other words it allows in brackets. ``ENDINGS`` maps a part's label (the template's
word, verbatim, as the campaign file writes it) to the endings the form offers for that level;
``address.py`` matches what is typed against them. 自治区 and 直辖市 sit at the 省 level; 自治县
and county-level cities (桂平市) at the 县 level; a 民族乡 ends in 乡. ``ALSO_TYPED``: endings
kept when typed but not offered, so the 市 level still adds its one word to “南宁” while
“恩施土家族苗族自治州” (a national campaign's 市 level) is kept as typed. Not translated: they
are matched, not read.
"""

ENDINGS = {
    "省（区、市）": ("省", "自治区", "市"),
    "市": ("市",),
    "县（区）": ("县", "区", "自治县", "市"),
    "街道（乡镇）": ("街道", "镇", "乡"),
    "社区（村）": ("社区", "村"),
}
ALSO_TYPED = {
    "省（区、市）": ("特别行政区",),
    "市": ("自治州", "地区", "盟"),
    "县（区）": ("旗", "自治旗", "林区", "特区"),
}
