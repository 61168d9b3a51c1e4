import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import timezone

from bulletins import overview
from bulletins.models import Issue, Unit
from bulletins.svg_charts import bar_chart

from .factories import make_entry, make_issue, make_unit, make_user

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
URL = "/admin/overview/"
PERIOD = {"start": "2023-01-01", "end": "2023-04-30"}


def at(month, day, hour=10):
    return datetime.datetime(2023, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def archive():
    """Four published issues (Jan–Apr 2023), a draft and a withdrawn one, five units."""
    units = {
        "残联": make_unit("市残疾人联合会", "市残联"),
        "税务": make_unit("国家税务总局巴中市税务局", "市税务局"),
        "住建": make_unit("市住房和城乡建设局", "市住建局"),
        "教育": make_unit("市教育局", ""),
        "攀枝花": make_unit("攀枝花市", "", kind=Unit.Kind.OTHER_CITY),
    }
    published = Issue.Status.PUBLISHED
    jan = make_issue(number=10, status=published, published_at=at(1, 15))
    feb = make_issue(number=11, status=published, published_at=at(2, 20))
    mar = make_issue(number=12, status=published, published_at=at(3, 20))
    apr = make_issue(number=13, status=published, published_at=at(4, 6))
    draft = make_issue(number=14)
    withdrawn = make_issue(number=9, status=Issue.Status.WITHDRAWN, published_at=at(1, 2))

    def entry(issue, section_name, *unit_keys):
        made = make_entry(issue, section_name=section_name)
        made.units.set([units[key] for key in unit_keys])
        return made

    entry(jan, "单位行动", "残联", "教育")
    entry(jan, "领导活动")
    entry(feb, "单位行动", "残联")
    entry(mar, "单位行动", "税务")
    entry(apr, "单位行动", "残联", "税务")
    entry(apr, "单位行动", "住建")
    entry(apr, "同创资讯", "攀枝花")
    entry(draft, "单位行动", "教育")
    entry(withdrawn, "单位行动", "教育")
    return units


@pytest.fixture
def staff(client):
    user = make_user(roles=["编辑"], is_staff=True)
    client.force_login(user)
    return user


def issues():
    return overview.published_between(datetime.date(2023, 1, 1), datetime.date(2023, 4, 30))


def test_entries_per_unit_count_published_issues_only(archive):
    assert overview.entries_per_unit(issues()) == [
        ("市残疾人联合会", 3), ("国家税务总局巴中市税务局", 2), ("市住房和城乡建设局", 1), ("市教育局", 1), ("攀枝花市", 1),
    ]


def test_entries_per_section_lists_every_section_in_order(archive):
    assert overview.entries_per_section(issues()) == [
        ("领导活动", 1), ("单位行动", 5), ("一线经验", 0), ("同创资讯", 1), ("他山之石", 0),
    ]


def test_entries_per_month_follow_the_local_publish_date(archive):
    assert overview.entries_per_month(issues(), datetime.date(2023, 1, 1), datetime.date(2023, 5, 31)) == [
        ("2023年1月", 2), ("2023年2月", 1), ("2023年3月", 1), ("2023年4月", 3), ("2023年5月", 0),
    ]


def test_publish_time_just_after_midnight_in_china_counts_in_that_month():
    issue = make_issue(number=20, status=Issue.Status.PUBLISHED, published_at=at(2, 1, hour=0))
    make_entry(issue)
    rows = overview.entries_per_month(
        overview.published_between(datetime.date(2023, 1, 1), datetime.date(2023, 2, 28)),
        datetime.date(2023, 1, 1), datetime.date(2023, 2, 28),
    )
    assert rows == [("2023年1月", 0), ("2023年2月", 1)]


def test_period_limits_the_issues(archive):
    march = overview.published_between(datetime.date(2023, 3, 1), datetime.date(2023, 3, 31))
    assert overview.entries_per_unit(march) == [("国家税务总局巴中市税务局", 1)]


def test_units_not_in_the_last_two_issues(archive):
    units, recent = overview.units_not_reported(2)
    assert [issue.number for issue in recent] == [13, 12]
    assert [(unit.name, unit.last_seen) for unit in units] == [("市教育局", at(1, 15))]


def test_never_reported_units_come_first(archive):
    never = make_unit("市民政局", "")
    units, _ = overview.units_not_reported(3)
    assert [unit.name for unit in units] == [never.name, "市教育局"]
    assert units[0].last_seen is None


def test_other_cities_are_not_chased(archive):
    units, _ = overview.units_not_reported(1)
    assert "攀枝花市" not in [unit.name for unit in units]


def test_bar_chart_scales_bars_to_the_largest_value():
    chart = bar_chart("units", "各单位条目数", [("甲", 4), ("乙", 2), ("丙", 0)])
    assert [bar.width for bar in chart.bars] == [420, 210, 0]
    assert chart.description == "共3项，合计6条；最多的是甲，4条。"


def test_bar_chart_draws_at_most_the_limit():
    chart = bar_chart("units", "各单位条目数", [(f"单位{i}", 40 - i) for i in range(40)], limit=30)
    assert len(chart.bars) == 30 and chart.hidden == 10 and len(chart.rows) == 40


def test_month_chart_over_a_long_period_draws_the_most_recent_months(client, staff, archive):
    page = client.get(URL, {"start": "2020-01-01", "end": "2023-12-31"}).content.decode()
    months = page.split('id="chart-months"')[1].split("<details>")[0]
    assert "2023年4月" in months and "2020年1月" not in months
    assert "图中只画出最近 30 项" in months


def test_overview_page_draws_three_accessible_svg_charts(client, staff, archive):
    response = client.get(URL, PERIOD)
    assert response.status_code == 200
    page = response.content.decode().split('id="content-main"')[1]
    assert page.count('class="bar-chart"') == 3
    assert '<title id="units-title">各单位条目数</title>' in page
    assert 'aria-labelledby="units-title units-desc"' in page
    assert "<title>市残疾人联合会：3条</title>" in page
    assert "<script" not in page
    assert "只统计已发布的期刊" in page
    assert "发布的 4 期" in page


def test_overview_page_lists_units_to_chase(client, staff, archive):
    page = client.get(URL, {**PERIOD, "last": 2}).content.decode()
    quiet = page.split('id="quiet-units"')[1]
    assert "最近 2 期没有出现的单位（1）" in quiet and "市教育局" in quiet and "市残疾人联合会" not in quiet


def test_overview_defaults_to_the_last_three_issues(client, staff, archive):
    response = client.get(URL)
    assert response.context["last"] == 3
    assert 'name="last" value="3"' in response.content.decode()


def test_invalid_period_shows_an_error_and_falls_back_to_defaults(client, staff, archive):
    response = client.get(URL, {"start": "2023-05-01", "end": "2023-01-01"})
    assert response.status_code == 200
    assert "起始日期不能晚于截止日期。" in response.content.decode()


def read_csv(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_units_csv(client, staff, archive):
    response = client.get(URL, {**PERIOD, "format": "csv", "chart": "units"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "overview-units-2023-01-01_2023-04-30.csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == ["单位", "条目数"]
    assert rows[1] == ["市残疾人联合会", "3"]


def test_sections_and_months_csv(client, staff, archive):
    sections = read_csv(client.get(URL, {**PERIOD, "format": "csv", "chart": "sections"}))
    assert sections[2] == ["单位行动", "5"]
    months = read_csv(client.get(URL, {**PERIOD, "format": "csv", "chart": "months"}))
    assert months[1:] == [["2023年1月", "2"], ["2023年2月", "1"], ["2023年3月", "1"], ["2023年4月", "3"]]


def test_quiet_units_csv(client, staff, archive):
    rows = read_csv(client.get(URL, {"format": "csv", "chart": "quiet", "last": 2}))
    assert rows == [["单位", "类别", "最近一次出现", "最近一次报送"], ["市教育局", "政府部门", "2023-01-15", "从未报送"]]


def test_quiet_units_show_when_the_unit_last_sent_a_submission(client, staff, archive):
    from django.utils import timezone

    from .factories import make_correspondent, make_submission

    unit = Unit.objects.get(name="市教育局")
    make_submission(make_correspondent(unit), state="submitted",
                    submitted_at=timezone.make_aware(datetime.datetime(2023, 5, 2, 9)))
    make_submission(make_correspondent(unit), title="草稿不算")
    rows = read_csv(client.get(URL, {"format": "csv", "chart": "quiet", "last": 2}))
    assert rows[1] == ["市教育局", "政府部门", "2023-01-15", "2023-05-02"]


def test_unknown_chart_csv_is_404(client, staff):
    assert client.get(URL, {"format": "csv", "chart": "nope"}).status_code == 404


def test_overview_needs_view_issue_permission(client):
    client.force_login(make_user(roles=["审计员"], is_staff=True))
    assert client.get(URL).status_code == 403


def test_overview_is_for_staff_only(client):
    client.force_login(make_user(roles=["编辑"], is_staff=False))
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_overview_query_count_does_not_grow_with_the_archive(client, staff, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(17) as small:
        client.get(URL, PERIOD)
    for number in range(30, 40):
        issue = make_issue(number=number, status=Issue.Status.PUBLISHED, published_at=at(3, 1))
        make_unit(f"单位{number}", "")
        make_entry(issue).units.set(Unit.objects.all()[:3])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, PERIOD)


def test_admin_index_link_include_points_to_the_overview(staff):
    request = RequestFactory().get("/admin/")
    request.user = staff
    html = render_to_string("admin/includes/overview_link.html", request=request)
    assert f'href="{URL}"' in html and "创建工作概览" in html


def test_admin_index_link_is_hidden_without_view_issue(client):
    request = RequestFactory().get("/admin/")
    request.user = make_user(roles=["审计员"], is_staff=True)
    assert "创建工作概览" not in render_to_string("admin/includes/overview_link.html", request=request)


def test_overview_opens_on_the_latest_year_with_published_issues(client, staff, archive):
    make_issue(number=1, year=2021, status=Issue.Status.PUBLISHED,
               published_at=datetime.datetime(2021, 6, 1, 10, tzinfo=SHANGHAI))
    response = client.get(URL)
    assert (response.context["start"], response.context["end"]) == (datetime.date(2023, 1, 1),
                                                                     datetime.date(2023, 12, 31))
    assert "发布的 4 期" in response.content.decode()


def test_latest_year_ignores_drafts_withdrawn_and_scheduled_issues(tomorrow):
    make_issue(number=1, status=Issue.Status.PUBLISHED, published_at=at(3, 1))
    make_issue(number=2, status=Issue.Status.PUBLISHED, published_at=tomorrow.replace(year=2030))
    make_issue(number=3, status=Issue.Status.WITHDRAWN, published_at=datetime.datetime(2025, 1, 1, tzinfo=SHANGHAI))
    assert overview.latest_year() == 2023


def test_overview_without_published_issues_opens_on_the_last_twelve_months(client, staff):
    response = client.get(URL)
    assert response.context["end"] == timezone.localdate()
    assert (response.context["end"] - response.context["start"]).days > 300


def test_unit_names_reach_the_csv_as_text_never_as_a_formula(client, staff):
    make_unit("=cmd|'/c calc'!A1", "", kind=Unit.Kind.GOVERNMENT)
    rows = read_csv(client.get(URL, {"format": "csv", "chart": "quiet", "last": 2}))
    assert ["'=cmd|'/c calc'!A1", "政府部门", "从未出现", "从未报送"] in rows
