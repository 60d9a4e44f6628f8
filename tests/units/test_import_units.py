"""``manage.py import_units``: the organiser's list of recommending units, all rows or none."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import make_unit
from tests.fixtures.tables import WRITERS, write_csv_gb18030, write_csv_utf8_bom, write_xlsx
from tuixuan.units.models import Participation, RecommendingUnit, UnitKind

HEADER = ["单位代码", "单位名称", "单位类型", "所在地区", "上级单位代码"]
# The society's parent comes after it in the file: the import must not depend on row order.
GOOD = [
    HEADER,
    ["liuzhou-agri", "柳州市农学会", "学会", "柳州市", "liuzhou-cast"],
    ["liuzhou-cast", "柳州市科学技术协会", "市科协", "柳州市", ""],
    ["gx-meteorology", "广西壮族自治区气象局", "有关单位", "广西壮族自治区", ""],
]


def run(path, *args):
    out = StringIO()
    call_command("import_units", str(path), *args, stdout=out)
    return out.getvalue()


def refusal(path, *args) -> str:
    with pytest.raises(CommandError) as caught:
        run(path, *args)
    return str(caught.value)


def line_for_row(message, number) -> str:
    """The one line of the refusal about spreadsheet row ``number``."""
    lines = [line for line in message.splitlines() if line.startswith(f"第{number}行")]
    assert len(lines) == 1, f"expected one line about row {number} in:\n{message}"
    return lines[0]


def snapshot():
    return (
        sorted(RecommendingUnit.objects.values_list("code", "name", "kind", "region", "parent")),
        sorted(Participation.objects.values_list("campaign_id", "unit_id")),
    )


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_good_file_creates_units_with_kind_region_and_parent_in_any_row_order(db, tmp_path, write):
    output = run(write(tmp_path / "units", GOOD))

    assert "新增3个单位" in output
    units = {unit.code: unit for unit in RecommendingUnit.objects.all()}
    assert set(units) == {"liuzhou-agri", "liuzhou-cast", "gx-meteorology"}
    society, city, other = units["liuzhou-agri"], units["liuzhou-cast"], units["gx-meteorology"]
    assert (society.name, society.kind, society.region) == (
        "柳州市农学会",
        UnitKind.SOCIETY,
        "柳州市",
    )
    assert (city.name, city.kind, city.region) == (
        "柳州市科学技术协会",
        UnitKind.CITY_CAST,
        "柳州市",
    )
    assert (other.name, other.kind, other.region) == (
        "广西壮族自治区气象局",
        UnitKind.OTHER,
        "广西壮族自治区",
    )
    assert society.parent == city
    assert city.parent is None
    assert other.parent is None


def test_without_campaign_units_join_no_campaign(gx, tmp_path):
    run(write_csv_utf8_bom(tmp_path / "units", GOOD))

    assert RecommendingUnit.objects.count() == 3
    assert not Participation.objects.exists()


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_with_campaign_every_imported_unit_joins_it(gx, tmp_path, write):
    run(write(tmp_path / "units", GOOD), "--campaign", "gx-2024")

    joined = set(Participation.objects.filter(campaign=gx).values_list("unit__code", flat=True))
    assert joined == {"liuzhou-agri", "liuzhou-cast", "gx-meteorology"}


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("学会", UnitKind.SOCIETY),
        ("协会", UnitKind.SOCIETY),
        ("研究会", UnitKind.SOCIETY),
        ("学会（协会、研究会）", UnitKind.SOCIETY),
        ("市科协", UnitKind.CITY_CAST),
        ("有关单位", UnitKind.OTHER),
        (" 有关单位 ", UnitKind.OTHER),
        ("city_cast", UnitKind.CITY_CAST),
    ],
)
def test_kind_is_read_from_the_chinese_names_organisers_write(db, tmp_path, written, kind):
    run(write_csv_utf8_bom(tmp_path / "units", [HEADER, ["u1", "某单位", written, "", ""]]))

    assert RecommendingUnit.objects.get(code="u1").kind == kind


def test_english_column_names_are_accepted(db, tmp_path):
    rows = [
        ["code", "name", "kind", "region", "parent"],
        ["child", "子单位", "society", "南宁市", "top"],
        ["top", "上级单位", "city_cast", "南宁市", ""],
    ]
    run(write_csv_utf8_bom(tmp_path / "units", rows))

    assert RecommendingUnit.objects.get(code="child").parent.code == "top"


def test_region_and_parent_columns_are_optional(db, tmp_path):
    rows = [["单位名称", "单位类型", "单位代码"], ["柳州市农学会", "学会", "liuzhou-agri"]]
    run(write_csv_utf8_bom(tmp_path / "units", rows))

    unit = RecommendingUnit.objects.get(code="liuzhou-agri")
    assert (unit.name, unit.region, unit.parent) == ("柳州市农学会", "", None)


def test_parent_may_be_a_unit_already_in_the_database(gx, tmp_path):
    city = make_unit(gx, "liuzhou-cast", "柳州市科学技术协会")
    rows = [HEADER, ["liuzhou-agri", "柳州市农学会", "学会", "柳州市", "liuzhou-cast"]]
    run(write_csv_utf8_bom(tmp_path / "units", rows))

    assert RecommendingUnit.objects.get(code="liuzhou-agri").parent == city


def test_numeric_codes_in_xlsx_are_read_as_text_without_a_decimal_point(db, tmp_path):
    rows = [
        HEADER,
        [450201, "柳州市农学会", "学会", "柳州市", 450200.0],
        [450200, "柳州市科学技术协会", "市科协", "柳州市", None],
    ]
    run(write_xlsx(tmp_path / "units", rows))

    assert RecommendingUnit.objects.get(code="450201").parent.code == "450200"


def test_importing_again_updates_by_code_rather_than_duplicating(gx, tmp_path):
    run(write_csv_utf8_bom(tmp_path / "first", GOOD), "--campaign", "gx-2024")
    changed = [
        HEADER,
        ["liuzhou-agri", "柳州市农业科学学会", "研究会", "柳州市柳北区", "liuzhou-cast"],
        ["liuzhou-cast", "柳州市科学技术协会", "市科协", "柳州市", ""],
        ["gx-meteorology", "广西壮族自治区气象局", "有关单位", "广西壮族自治区", "liuzhou-cast"],
    ]

    output = run(write_xlsx(tmp_path / "second", changed), "--campaign", "gx-2024")

    assert "新增0个单位，更新3个单位" in output
    assert RecommendingUnit.objects.count() == 3
    assert Participation.objects.filter(campaign=gx).count() == 3
    society = RecommendingUnit.objects.get(code="liuzhou-agri")
    assert (society.name, society.kind, society.region) == (
        "柳州市农业科学学会",
        UnitKind.SOCIETY,
        "柳州市柳北区",
    )
    assert RecommendingUnit.objects.get(code="gx-meteorology").parent.code == "liuzhou-cast"


def test_the_same_file_imported_twice_changes_nothing_the_second_time(gx, tmp_path):
    path = write_csv_gb18030(tmp_path / "units", GOOD)
    run(path, "--campaign", "gx-2024")
    before = snapshot()

    output = run(path, "--campaign", "gx-2024")

    assert "新增0个单位" in output
    assert snapshot() == before


def test_bad_rows_are_all_reported_with_row_numbers_and_nothing_is_imported(gx, tmp_path):
    existing = make_unit(gx, "liuzhou-cast", "柳州市科学技术协会")
    before = snapshot()
    rows = [
        HEADER,
        ["liuzhou-cast", "柳州市科协（改名）", "市科协", "柳州市", ""],  # 2: good, an update
        ["nanning-agri", "", "学会", "南宁市", ""],  # 3: empty name
        ["gx-street", "某街道办", "街道办", "南宁市", ""],  # 4: unknown kind
        ["liuzhou-cast", "柳州市另一单位", "学会", "柳州市", ""],  # 5: code repeats row 2
        ["wuzhou-agri", "梧州市农学会", "学会", "梧州市", "wuzhou-cast"],  # 6: unknown parent
        ["gx-meteorology", "广西壮族自治区气象局", "有关单位", "", ""],  # 7: good, new
    ]

    message = refusal(write_csv_utf8_bom(tmp_path / "units", rows), "--campaign", "gx-2024")

    assert "未导入任何单位" in message
    assert "单位名称" in line_for_row(message, 3)
    assert "街道办" in line_for_row(message, 4)
    assert "liuzhou-cast" in line_for_row(message, 5)
    assert "第2行" in line_for_row(message, 5)
    assert "wuzhou-cast" in line_for_row(message, 6)
    assert "第2行：" not in message
    assert "第7行" not in message
    assert snapshot() == before
    existing.refresh_from_db()
    assert existing.name == "柳州市科学技术协会"


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_row_numbers_are_the_spreadsheet_rows_even_after_blank_rows(db, tmp_path, write):
    rows = [
        HEADER,
        ["u1", "单位一", "学会", "", ""],
        ["", "", "", "", ""],
        ["u3", "单位三", "学会", "", ""],
        ["u4", "单位四", "居委会", "", ""],
    ]

    message = refusal(write(tmp_path / "units", rows))

    assert "居委会" in line_for_row(message, 5)
    assert not RecommendingUnit.objects.exists()


def test_empty_code_and_kind_and_duplicate_name_are_reported(db, tmp_path):
    rows = [
        HEADER,
        ["", "单位甲", "学会", "", ""],
        ["u3", "单位乙", "", "", ""],
        ["u4", "单位乙", "学会", "", ""],
    ]

    message = refusal(write_csv_utf8_bom(tmp_path / "units", rows))

    assert "单位代码" in line_for_row(message, 2)
    assert "单位类型" in line_for_row(message, 3)
    assert "单位乙" in line_for_row(message, 4)
    assert not RecommendingUnit.objects.exists()


@pytest.mark.parametrize("column", ["单位代码", "单位名称", "单位类型"])
def test_a_missing_required_column_is_refused_by_name(db, tmp_path, column):
    position = HEADER.index(column)
    rows = [[cell for i, cell in enumerate(row) if i != position] for row in GOOD]

    message = refusal(write_csv_utf8_bom(tmp_path / "units", rows))

    assert "缺少必需的列" in message
    assert column in message
    assert not RecommendingUnit.objects.exists()


def test_an_unknown_campaign_is_refused_and_nothing_is_imported(gx, tmp_path):
    message = refusal(write_csv_utf8_bom(tmp_path / "units", GOOD), "--campaign", "gx-2099")

    assert "gx-2099" in message
    assert "不存在" in message
    assert not RecommendingUnit.objects.exists()


@pytest.mark.parametrize("name", ["units.txt", "units.xls", "units"])
def test_a_file_that_is_not_csv_or_xlsx_is_refused_with_a_clear_message(db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes("单位代码,单位名称,单位类型\r\nu1,单位一,学会\r\n".encode())

    message = refusal(path)

    assert "只支持 .csv 或 .xlsx" in message
    assert not RecommendingUnit.objects.exists()


def test_a_corrupt_xlsx_is_refused_with_a_clear_message(db, tmp_path):
    good = write_xlsx(tmp_path / "good", GOOD).read_bytes()
    path = tmp_path / "units.xlsx"
    path.write_bytes(good[: len(good) // 2])

    message = refusal(path)

    assert "units.xlsx" in message
    assert "不是有效的 XLSX 文件" in message
    assert not RecommendingUnit.objects.exists()


def test_a_csv_renamed_to_xlsx_is_refused_with_a_clear_message(db, tmp_path):
    path = tmp_path / "units.xlsx"
    path.write_bytes(write_csv_utf8_bom(tmp_path / "units", GOOD).read_bytes())

    assert "不是有效的 XLSX 文件" in refusal(path)
    assert not RecommendingUnit.objects.exists()


def test_a_csv_in_neither_utf8_nor_gb18030_is_refused_naming_the_encoding(db, tmp_path):
    path = tmp_path / "units.csv"  # Excel's "Unicode text": UTF-16 with a byte-order mark
    path.write_bytes("单位代码,单位名称,单位类型\r\nu1,单位一,学会\r\n".encode("utf-16"))

    assert "编码" in refusal(path)
    assert not RecommendingUnit.objects.exists()


def test_an_empty_file_is_refused_with_a_clear_message(db, tmp_path):
    path = tmp_path / "units.csv"
    path.write_bytes(b"")

    message = refusal(path)

    assert "单位代码" in message
    assert not RecommendingUnit.objects.exists()


def test_a_file_that_does_not_exist_is_refused_with_a_clear_message(db, tmp_path):
    message = refusal(tmp_path / "missing.csv")

    assert "missing.csv" in message


def test_a_name_already_used_by_another_unit_is_reported_not_a_crash(gx, tmp_path):
    make_unit(gx, "liuzhou-cast", "柳州市科学技术协会")
    before = snapshot()
    rows = [HEADER, ["lzkx", "柳州市科学技术协会", "市科协", "柳州市", ""]]

    message = refusal(write_csv_utf8_bom(tmp_path / "units", rows))

    assert "柳州市科学技术协会" in line_for_row(message, 2)
    assert snapshot() == before


def test_a_code_that_cannot_appear_in_the_unit_portal_url_is_reported(gx, tmp_path):
    # Unit codes are SlugFields and part of every unit-portal URL (<slug:unit_code>): a code
    # with Chinese characters or a dot breaks {% url %} on the unit's home page.
    rows = [
        HEADER,
        ["liuzhou-cast", "柳州市科学技术协会", "市科协", "柳州市", ""],
        ["柳州农学会", "柳州市农学会", "学会", "柳州市", ""],
        ["wuzhou.cast", "梧州市科学技术协会", "市科协", "梧州市", ""],
    ]

    message = refusal(write_csv_utf8_bom(tmp_path / "units", rows))

    assert "柳州农学会" in line_for_row(message, 3)
    assert "wuzhou.cast" in line_for_row(message, 4)
    assert not RecommendingUnit.objects.exists()


def test_values_longer_than_the_database_allows_are_reported_not_a_crash(db, tmp_path):
    rows = [HEADER, ["u" * 65, "单位一", "学会", "", ""], ["u2", "名" * 201, "学会", "", ""]]

    message = refusal(write_csv_utf8_bom(tmp_path / "units", rows))

    assert "单位代码" in line_for_row(message, 2)
    assert "单位名称" in line_for_row(message, 3)
    assert not RecommendingUnit.objects.exists()


def test_a_unit_cannot_be_its_own_parent_or_ancestor(db, tmp_path):
    rows = [
        HEADER,
        ["self", "自己", "学会", "", "self"],
        ["a", "甲", "学会", "", "b"],
        ["b", "乙", "学会", "", "a"],
    ]

    message = refusal(write_csv_utf8_bom(tmp_path / "units", rows))

    assert "self" in line_for_row(message, 2)
    assert "第3行" in message or "第4行" in message
    assert not RecommendingUnit.objects.exists()
