"""``manage.py import_past_winners``: the past exemplars behind rule G4, all rows or none."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import BEFORE_DEADLINE, complete_nomination
from tests.fixtures.tables import WRITERS, write_csv_gb18030, write_csv_utf8_bom, write_xlsx
from tuixuan.common.text import normalise_name
from tuixuan.nominations import services
from tuixuan.nominations.models import Flag, FlagKind, PastWinner

HEADER = ["姓名或名称", "入选年度", "类别", "推荐单位"]
GOOD = [
    HEADER,
    ["覃海燕", "2021", "优秀志愿者", "南宁市科学技术协会"],
    ["广西农学会科技志愿服务总队", "2022年度", "优秀组织", "广西农学会"],
    ["柑橘黄龙病防控科技服务", "2023年", "优秀项目", ""],
]


def run(path):
    out = StringIO()
    call_command("import_past_winners", str(path), stdout=out)
    return out.getvalue()


def refusal(path) -> str:
    with pytest.raises(CommandError) as caught:
        run(path)
    return str(caught.value)


def line_for_row(message, number) -> str:
    lines = [line for line in message.splitlines() if line.startswith(f"第{number}行")]
    assert len(lines) == 1, f"expected one line about row {number} in:\n{message}"
    return lines[0]


def rows_in_db():
    return sorted(
        PastWinner.objects.values_list(
            "name", "normalised_name", "year", "category_name", "unit_name"
        )
    )


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_good_file_stores_each_winner_with_year_category_and_unit(db, tmp_path, write):
    output = run(write(tmp_path / "winners", GOOD))

    assert "新增3条" in output
    assert rows_in_db() == sorted(
        [
            ("覃海燕", "覃海燕", 2021, "优秀志愿者", "南宁市科学技术协会"),
            (
                "广西农学会科技志愿服务总队",
                "广西农学会科技志愿服务总队",
                2022,
                "优秀组织",
                "广西农学会",
            ),
            ("柑橘黄龙病防控科技服务", "柑橘黄龙病防控科技服务", 2023, "优秀项目", ""),
        ]
    )


def test_names_are_stored_with_their_normalised_form(db, tmp_path):
    rows = [
        HEADER,
        ["張 偉", "2021", "优秀志愿者", ""],
        ["ＡＢＣ　科技志愿服务队", "2021", "优秀组织", ""],
        ["阿依古丽・买买提", "2020", "优秀志愿者", ""],
    ]
    run(write_csv_utf8_bom(tmp_path / "winners", rows))

    stored = dict(PastWinner.objects.values_list("name", "normalised_name"))
    assert stored["張 偉"] == normalise_name("张伟") == "张伟"
    assert stored["ＡＢＣ 科技志愿服务队"] == normalise_name("abc科技志愿服务队")
    assert stored["阿依古丽・买买提"] == normalise_name("阿依古丽·买买提")


def test_spellings_of_one_name_in_one_year_and_category_are_one_winner(db, tmp_path):
    rows = [
        HEADER,
        ["張 偉", "2021", "优秀志愿者", "南宁市科学技术协会"],
        ["张伟", "2021年度", "优秀志愿者", "南宁市科学技术协会"],
        ["张伟", "2022", "优秀志愿者", ""],  # another year: another selection
    ]
    run(write_csv_utf8_bom(tmp_path / "winners", rows))

    assert sorted(PastWinner.objects.values_list("normalised_name", "year")) == [
        ("张伟", 2021),
        ("张伟", 2022),
    ]


@pytest.mark.parametrize("year", ["2021", "2021年度", "2021年", " 2021 ", 2021, 2021.0])
def test_years_are_accepted_as_organisers_write_them(db, tmp_path, year):
    run(write_xlsx(tmp_path / "winners", [HEADER, ["覃海燕", year, "优秀志愿者", ""]]))

    assert PastWinner.objects.get().year == 2021


@pytest.mark.parametrize("write", WRITERS.values(), ids=WRITERS.keys())
def test_bad_year_or_empty_name_is_reported_with_its_row_number_and_nothing_is_imported(
    db, tmp_path, write
):
    PastWinner.objects.create(name="黄志强", normalised_name="黄志强", year=2019)
    before = rows_in_db()
    rows = [
        HEADER,
        ["覃海燕", "2021", "优秀志愿者", ""],  # 2: good
        ["", "2021", "优秀志愿者", ""],  # 3: empty name
        ["韦德明", "去年", "优秀志愿者", ""],  # 4: not a year
        ["李秀梅", "21", "优秀志愿者", ""],  # 5: two digits
        ["黄志强", "", "优秀志愿者", ""],  # 6: no year
        ["蒙小燕", "2021-05", "优秀志愿者", ""],  # 7: a month
        ["陆海", "1800", "优秀志愿者", ""],  # 8: out of range
        ["梁敏", "2020", "", ""],  # 9: good, no category
    ]

    message = refusal(write(tmp_path / "winners", rows))

    assert "未导入任何记录" in message
    assert "姓名或名称" in line_for_row(message, 3)
    assert "去年" in line_for_row(message, 4)
    assert "21" in line_for_row(message, 5)
    assert "入选年度" in line_for_row(message, 6)
    assert "2021-05" in line_for_row(message, 7)
    assert "1800" in line_for_row(message, 8)
    assert "第2行" not in message
    assert "第9行" not in message
    assert rows_in_db() == before


def test_a_row_with_both_empty_name_and_bad_year_reports_both(db, tmp_path):
    message = refusal(write_csv_utf8_bom(tmp_path / "winners", [HEADER, ["", "某年", "", ""]]))

    problems = [line for line in message.splitlines() if line.startswith("第2行")]
    assert len(problems) == 2
    assert not PastWinner.objects.exists()


def test_importing_again_does_not_duplicate(db, tmp_path):
    run(write_csv_gb18030(tmp_path / "first", GOOD))
    before = rows_in_db()
    respelt = [
        HEADER,
        ["覃 海燕", "2021年度", "优秀志愿者", "南宁市科学技术协会"],
        ["廣西農學會科技志願服務總隊", "2022", "优秀组织", "广西农学会"],
        ["柑橘黄龙病防控科技服务", "2023", "优秀项目", ""],
    ]

    output = run(write_xlsx(tmp_path / "second", respelt))

    assert "新增0条，已有3条未变" in output
    assert rows_in_db() == before


def test_alternative_column_names_are_accepted(db, tmp_path):
    rows = [["姓名", "年度", "类别", "所在地区"], ["覃海燕", "2021", "优秀志愿者", "南宁市"]]
    run(write_csv_utf8_bom(tmp_path / "winners", rows))

    winner = PastWinner.objects.get()
    assert (winner.name, winner.year, winner.unit_name) == ("覃海燕", 2021, "南宁市")


@pytest.mark.parametrize("column", ["姓名或名称", "入选年度"])
def test_a_missing_required_column_is_refused_by_name(db, tmp_path, column):
    position = HEADER.index(column)
    rows = [[cell for i, cell in enumerate(row) if i != position] for row in GOOD]

    message = refusal(write_csv_utf8_bom(tmp_path / "winners", rows))

    assert "缺少必需的列" in message
    assert column in message
    assert not PastWinner.objects.exists()


@pytest.mark.parametrize("name", ["winners.txt", "winners.xls"])
def test_a_file_that_is_not_csv_or_xlsx_is_refused_with_a_clear_message(db, tmp_path, name):
    path = tmp_path / name
    path.write_bytes("姓名或名称,入选年度\r\n覃海燕,2021\r\n".encode())

    assert "只支持 .csv 或 .xlsx" in refusal(path)
    assert not PastWinner.objects.exists()


def test_a_corrupt_xlsx_is_refused_with_a_clear_message(db, tmp_path):
    good = write_xlsx(tmp_path / "good", GOOD).read_bytes()
    path = tmp_path / "winners.xlsx"
    path.write_bytes(good[: len(good) // 2])

    message = refusal(path)

    assert "winners.xlsx" in message
    assert "不是有效的 XLSX 文件" in message
    assert not PastWinner.objects.exists()


def test_an_imported_winner_is_flagged_when_a_nomination_with_that_name_is_submitted(
    gx, unit, member, tmp_path
):
    # gx-2024 excludes winners of 2019–2023 (G4); the nomination's candidate is 李秀梅.
    rows = [HEADER, ["李 秀梅", "2021年度", "优秀志愿者", "南宁市科学技术协会"]]
    run(write_csv_utf8_bom(tmp_path / "winners", rows))
    nomination = complete_nomination(member, gx, unit, "volunteer")

    services.submit(member, nomination, now=BEFORE_DEADLINE)

    flag = Flag.objects.get(nomination=nomination)
    assert flag.kind == FlagKind.PAST_WINNER
    assert flag.past_winner == PastWinner.objects.get()
