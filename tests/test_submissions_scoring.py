"""考评 against a worked example written out by hand, with the rules changed on 1 July 2026.

Rule A (from 2026-01-01): a quota of 2 a week; meeting it 1 point, each extra piece 1, each
adoption 2, each 上级采用 3, each 领导批示 5; a missed week costs 1.
Rule B (from 2026-07-01): a quota of 5 a month; meeting it 2, each extra piece 0.5, each adoption
3, each 上级采用 4, each 领导批示 6; a missed month costs 2.

June 2026 (weeks from Monday 1, 8, 15, 22, 29 June; the last one cut at 30 June by rule B):
  市残联: week 1: 3 pieces, 1 adopted with 1 上级采用 → 1 + 1 + 2 + 3 = 7; week 2: 1 piece → −1;
          weeks 3-5: nothing → −3.                                      Total 3, 4 of 5 weeks missed.
  恩阳区: 2 pieces each week → 5 × 1 = 5; in week 2 one is adopted with a 领导批示 → 2 + 5 = 7.
                                                                         Total 12, none missed.
July 2026 (one month under rule B):
  市残联: 6 pieces, 2 adopted, one with a 领导批示 → 2 + 0.5 + 2 × 3 + 6 = 14.5.
  恩阳区: 3 pieces → −2.
The year 2026: 26 weeks (5 Jan – 30 Jun) under rule A and 6 months under rule B.
  市残联: June 3, the other 21 weeks −21, July 14.5, August–December −10 → −13.5; 30 of 32 missed.
  恩阳区: June 12, the other 21 weeks −21, July −2, August–December −10 → −21; 27 of 32 missed.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from submissions.models import ScoringRule
from submissions.scoring import build_report, period_bounds

from .factories import make_correspondent, make_submission, make_unit

pytestmark = pytest.mark.django_db


def at(month, day):
    return timezone.make_aware(datetime.datetime(2026, month, day, 10, 0))


def send(correspondent, month, day, *, adopted=False, **fields):
    when = at(month, day)
    make_submission(correspondent, state="adopted" if adopted else "submitted", submitted_at=when, **fields)


@pytest.fixture
def units():
    ScoringRule.objects.create(valid_from=datetime.date(2026, 1, 1), quota_period="week", quota=2,
                               points_quota_met=1, points_per_extra=1, points_per_adoption=2,
                               points_higher_adoption=3, points_leader_instruction=5, deduction_missed_quota=1)
    ScoringRule.objects.create(valid_from=datetime.date(2026, 7, 1), quota_period="month", quota=5,
                               points_quota_met=2, points_per_extra=Decimal("0.5"), points_per_adoption=3,
                               points_higher_adoption=4, points_leader_instruction=6, deduction_missed_quota=2)
    disabled = make_correspondent(make_unit(name="市残疾人联合会", short_names="市残联"))
    district = make_correspondent(make_unit(name="恩阳区", short_names="", kind="district"))
    # June, 市残联
    send(disabled, 6, 1, adopted=True, higher_adoptions=1)
    send(disabled, 6, 2)
    send(disabled, 6, 3)
    send(disabled, 6, 10)
    # June, 恩阳区: two a week, one adopted with a 领导批示 in week 2
    for day in (1, 2, 9, 15, 16, 22, 23, 29, 30):
        send(district, 6, day)
    send(district, 6, 8, adopted=True, leader_instructions=1)
    # July
    send(disabled, 7, 1, adopted=True, leader_instructions=1)
    send(disabled, 7, 2, adopted=True)
    for day in (6, 13, 20, 27):
        send(disabled, 7, day)
    for day in (3, 10, 17):
        send(district, 7, day)
    # A draft never counts
    make_submission(disabled, title="没报送的草稿")
    return disabled.reporting_unit, district.reporting_unit


def rows(report):
    return {row.unit.name: (row.submitted, row.adopted, row.points, row.below_quota, row.rank) for row in report.rows}


def test_a_month_under_the_weekly_rule(units):
    report = build_report("month", 2026, 6)
    assert len(report.quota_periods) == 5 and report.quota_periods[-1].end == datetime.date(2026, 7, 1)
    assert rows(report) == {"市残疾人联合会": (4, 1, Decimal("3"), 4, 2), "恩阳区": (10, 1, Decimal("12"), 0, 1)}


def test_a_month_under_the_monthly_rule(units):
    assert rows(build_report("month", 2026, 7)) == {
        "市残疾人联合会": (6, 2, Decimal("14.5"), 0, 1), "恩阳区": (3, 0, Decimal("-2"), 1, 2)}


def test_the_year_is_scored_with_the_rule_in_force_in_each_period(units):
    report = build_report("year", 2026)
    assert len(report.quota_periods) == 32
    assert rows(report) == {"市残疾人联合会": (10, 3, Decimal("-13.5"), 30, 1),
                            "恩阳区": (13, 1, Decimal("-21"), 27, 2)}


def test_the_adoption_rate(units):
    row = next(row for row in build_report("month", 2026, 6).rows if row.unit.name == "市残疾人联合会")
    assert row.rate == Decimal("25.0")


def test_equal_points_share_a_rank():
    ScoringRule.objects.create(valid_from=datetime.date(2026, 1, 1), quota_period="month", quota=1)
    for name in ("甲单位", "乙单位"):
        send(make_correspondent(make_unit(name=name, short_names="")), 3, 5)
    assert [row.rank for row in build_report("month", 2026, 3).rows] == [1, 1]


def test_a_period_before_any_rule_scores_nothing(units):
    assert build_report("year", 2025).rows == []


def test_quarter_bounds():
    assert period_bounds("quarter", 2026, 4) == (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))


def test_the_report_runs_a_constant_number_of_queries(units, django_assert_num_queries):
    with django_assert_num_queries(3):
        build_report("year", 2026)


# The 通报 pages ------------------------------------------------------------------

REPORT = "/admin/submissions/submission/report/"


@pytest.fixture
def editor_client(client):
    from accounts.roles import EDITOR

    from .factories import make_staff

    client.force_login(make_staff(EDITOR))
    return client


def test_the_report_page_ranks_units_with_a_chart(units, editor_client):
    content = editor_client.get(REPORT, {"kind": "month", "year": 2026, "number": 6}).content.decode()
    assert "信息工作考评通报（2026年6月）" in content and "<svg" in content
    assert content.index("恩阳区") < content.index("市残疾人联合会")


def test_the_printable_report_has_its_red_masthead(units, editor_client):
    content = editor_client.get(REPORT, {"kind": "month", "year": 2026, "number": 6, "format": "print"}).content
    assert 'class="masthead"' in content.decode() and "2026年6月" in content.decode()


def test_the_csv_neutralises_formula_cells(editor_client):
    ScoringRule.objects.create(valid_from=datetime.date(2026, 1, 1), quota_period="month", quota=1)
    send(make_correspondent(make_unit(name='=HYPERLINK("http://x","点我")', short_names="")), 3, 5)
    response = editor_client.get(REPORT, {"kind": "month", "year": 2026, "number": 3, "format": "csv"})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("名次,单位")
    assert "'=HYPERLINK" in text and "\n1,=" not in text


def test_the_xlsx_keeps_a_hostile_name_as_text(editor_client):
    import io

    from openpyxl import load_workbook

    ScoringRule.objects.create(valid_from=datetime.date(2026, 1, 1), quota_period="month", quota=1)
    send(make_correspondent(make_unit(name="=1+1", short_names="")), 3, 5)
    response = editor_client.get(REPORT, {"kind": "month", "year": 2026, "number": 3, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    cell = sheet.cell(row=3, column=2)
    assert cell.value == "=1+1" and cell.data_type == "s"
    assert sheet.cell(row=3, column=6).value == 1.0


def test_the_report_is_refused_to_the_auditor(client):
    from accounts.roles import AUDITOR

    from .factories import make_staff

    client.force_login(make_staff(AUDITOR))
    assert client.get(REPORT).status_code == 403
