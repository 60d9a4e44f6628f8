"""The summary workbook, opened with openpyxl: sheets, columns, typed values, filters."""

import io
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from tests.conftest import BEFORE_DEADLINE, complete_nomination, make_member, scored_by_an_expert
from tuixuan.documents.xlsx import sheet_title, summary_workbook
from tuixuan.nominations import services
from tuixuan.nominations.models import Nomination, Status


@pytest.fixture
def workbook_of(gx):
    def make(nominations=None):
        chosen = Nomination.objects.all() if nominations is None else nominations
        return load_workbook(io.BytesIO(summary_workbook(gx, chosen)))

    return make


@pytest.fixture
def one_of_each(gx, unit, member):
    made = {}
    for key in ("volunteer", "organisation", "project", "service-point"):
        made[key] = complete_nomination(member, gx, unit, key)
        services.submit(member, made[key], now=BEFORE_DEADLINE)
    return made


def header(sheet):
    return [cell.value for cell in sheet[1]]


def test_one_sheet_per_category_named_in_chinese(gx, one_of_each, workbook_of):
    book = workbook_of()
    assert book.sheetnames == [
        "最美科技志愿者",
        "最佳科技志愿服务组织",
        "最佳科技志愿服务项目",
        "最美科技志愿服务点（社区或村）",
        "说明",
    ]


@pytest.mark.parametrize("key", ["volunteer", "organisation", "project", "service-point"])
def test_columns_are_the_forms_labels_in_order_after_unit_and_status(
    gx, one_of_each, workbook_of, key
):
    category = gx.categories.get(key=key)
    sheet = workbook_of()[sheet_title(category.name)]
    labels = [spec.label for spec in category.fields.all()]
    assert header(sheet) == ["序号", "推荐单位", "状态", *labels, "机器检查"]
    row = [cell.value for cell in sheet[2]]
    assert row[:3] == [1, "南宁市科学技术协会", "已提交"]
    assert row[3] == one_of_each[key].name or key == "service-point"
    assert row[-1] in {"均符合", "请注意：G3"}  # the stamped PDF is not uploaded in the fixture
    assert sheet.freeze_panes == "D2"
    assert sheet.auto_filter.ref.startswith("A1:")


def test_counts_are_numbers_percentages_are_percentages_and_dates_are_dates(
    one_of_each, workbook_of
):
    sheet = workbook_of()["最佳科技志愿服务组织"]
    columns = header(sheet)
    row = {title: cell for title, cell in zip(columns, sheet[2], strict=True)}
    assert row["注册科技志愿者人数"].value == 120
    assert row["累计开展科技志愿服务时数"].value == 24000
    ratio = row["经常参与科技志愿服务志愿者占组织中志愿者人数比例"]
    assert ratio.value == pytest.approx(0.75) and ratio.number_format == "0.0%"
    assert row["成立时间"].value == datetime(2018, 3, 15)
    assert row["成立时间"].is_date
    assert row["经常开展的科技志愿服务项目"].value == "1. 科技助农进万家\n2. 田间课堂"


def test_year_month_is_a_date_with_a_year_month_format(one_of_each, workbook_of):
    sheet = workbook_of()["最美科技志愿者"]
    row = {title: cell for title, cell in zip(header(sheet), sheet[2], strict=True)}
    assert row["何时起参加科技志愿服务活动"].value.date() == date(2019, 5, 1)
    assert row["何时起参加科技志愿服务活动"].number_format == 'yyyy"年"m"月"'


def test_rule_results_name_the_failing_rules(gx, unit, member, workbook_of):
    complete_nomination(member, gx, unit, "organisation", registered_volunteers=19, party_members=3)
    sheet = workbook_of()["最佳科技志愿服务组织"]
    # A draft is judged today, after the 2025 deadline (G2); 24000 h / 19 people is not 200 h (OC2).
    assert sheet.cell(row=2, column=len(header(sheet))).value == "不符合：G2、O2；请注意：G3、OC2"


def test_the_workbook_can_hold_only_the_chosen_statuses(gx, one_of_each, organiser, workbook_of):
    services.accept(organiser, one_of_each["project"])
    services.mark_reviewed(organiser, scored_by_an_expert(one_of_each["project"]))
    services.shortlist(organiser, one_of_each["project"])
    book = workbook_of(Nomination.objects.filter(status=Status.SHORTLISTED))
    assert book["最佳科技志愿服务项目"].max_row == 2
    assert book["最美科技志愿者"].max_row == 1  # header only
    assert book["最佳科技志愿服务项目"]["C2"].value == "拟推荐"


def test_rows_of_several_units_are_numbered_in_order(gx, unit, member, other_unit, workbook_of):
    other = make_member(other_unit)
    complete_nomination(member, gx, unit, "project", name="甲项目")
    complete_nomination(other, gx, other_unit, "project", name="乙项目")
    sheet = workbook_of()["最佳科技志愿服务项目"]
    assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == [1, 2]
    assert {sheet.cell(row=r, column=4).value for r in (2, 3)} == {"甲项目", "乙项目"}


def test_sheet_titles_follow_excels_rules():
    assert sheet_title("a/b:c*d?[e]") == "abcde"
    assert len(sheet_title("很" * 40)) == 31


def test_every_category_sheet_prints_landscape_one_page_wide_with_the_header_on_each_page(
    gx, one_of_each, workbook_of
):
    """Defect fixed: sheets printed portrait, as wide as they were, the header on page 1 only."""
    book = workbook_of()
    for sheet in book.worksheets[:-1]:
        assert sheet.page_setup.orientation == "landscape"
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.print_title_rows == "$1:$1"


def test_columns_are_as_wide_as_their_content_up_to_the_kinds_width(gx, one_of_each, workbook_of):
    sheet = workbook_of()["最美科技志愿者"]
    widths = {
        sheet.cell(1, column).value: sheet.column_dimensions[
            sheet.cell(1, column).column_letter
        ].width
        for column in range(1, sheet.max_column + 1)
    }
    assert widths["性别"] < 12  # “女” and a two-character header: narrow
    assert widths["推荐单位"] == len("南宁市科学技术协会") * 2 + 2  # the unit's name, whole
    assert widths["主要事迹（不超过 1000 字）"] == 60  # a long text wraps at the kind's width


def test_the_notes_sheet_names_campaign_export_time_and_the_statuses_chosen(gx, one_of_each):
    from django.utils import timezone

    chosen = Nomination.objects.filter(status=Status.SUBMITTED)
    data = summary_workbook(gx, chosen, statuses=[Status.SUBMITTED])
    notes = dict(load_workbook(io.BytesIO(data))["说明"].iter_rows(values_only=True))
    assert notes["活动"] == gx.title
    assert notes["导出时间"].startswith(timezone.localtime().strftime("%Y年%m月%d日"))
    assert notes["筛选条件"] == "推荐状态：已提交"
    assert notes["推荐数"] == 4


def test_each_sheet_carries_the_rankings_score_experts_spread_and_rank_once_scored(
    gx, unit, member, organiser, workbook_of
):
    """Defect fixed: the organiser's meeting had to copy the scores from the ranking page."""
    from django.contrib.auth import get_user_model

    from tuixuan.review import services as review
    from tuixuan.units.models import Role, RoleKind

    made = []
    for name in ("甲", "乙", "丙"):
        nomination = complete_nomination(member, gx, unit, "volunteer", name=f"候选{name}")
        services.submit(member, nomination, now=BEFORE_DEADLINE)
        services.accept(organiser, nomination)
        made.append(nomination)
    assert "名次" not in header(workbook_of()["最美科技志愿者"])  # nobody scored: no columns
    judges = []
    for name in ("a", "b"):
        judge = get_user_model().objects.create_user(f"judge-{name}")
        Role.objects.create(user=judge, kind=RoleKind.REVIEWER, campaign=gx)
        judges.append(judge)
    points = {  # each expert's four lines (deeds, example, service, materials): totals
        made[0].pk: [(30, 20, 15, 8), (36, 25, 18, 9)],  # 73 and 88: mean 80.50, spread 15
        made[1].pk: [(40, 30, 20, 10), (40, 30, 20, 10)],  # 100 and 100
    }
    for nomination in made[:2]:
        for judge, lines in zip(judges, points[nomination.pk], strict=True):
            assignment = review.assign(organiser, nomination, judge)
            keys = ("deeds", "example", "service", "materials")
            review.submit_scores(judge, assignment, dict(zip(keys, lines, strict=True)))
    sheet = workbook_of()["最美科技志愿者"]
    titles = header(sheet)
    assert titles[3:7] == ["得分（平均分）", "评分专家数", "极差", "名次"]
    rows = {row[7]: list(row[3:7]) for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["候选甲"] == [80.5, 2, 15, 2]
    assert rows["候选乙"] == [100, 2, 0, 1]
    assert rows["候选丙"] == [None, None, None, None]  # not scored: no rank
    assert sheet.cell(2, 4).number_format == "0.00" or sheet.cell(2, 4).value is None
    assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
