"""The issue keeps its own date (刊期日期, `Issue.dated_at`), apart from the moment it went online."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from bulletins import overview, workflow
from bulletins.importer import parse_text
from bulletins.importer.writer import import_issue
from bulletins.models import Issue

from .factories import make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status
CHINA = datetime.timezone(datetime.timedelta(hours=8))
ARCHIVE_FILE = "2023年文明城市创建(第13期)\n来源: 市创文办 时间: 2023-04-13 10:30:00\n【领导活动】\n●4月10日,市委召开创文推进会。"


def publish_now(issue):
    workflow.submit(issue, by=make_staff("编辑"))
    workflow.pass_review(issue, by=make_staff("审核"))
    workflow.publish(issue, by=make_staff("签发"))
    issue.refresh_from_db()
    return issue


def test_imported_file_time_is_the_issue_date():
    issue = import_issue(parse_text(ARCHIVE_FILE))
    assert issue.status == Status.DRAFT
    assert issue.dated_at == datetime.datetime(2023, 4, 13, 10, 30, tzinfo=CHINA)


def test_publishing_an_imported_archive_issue_keeps_its_own_date(client):
    issue = publish_now(import_issue(parse_text(ARCHIVE_FILE)))
    assert issue.dated_at == datetime.datetime(2023, 4, 13, 10, 30, tzinfo=CHINA)
    assert issue.published_at > timezone.now() - datetime.timedelta(minutes=5)
    html = client.get("/issues/2023/13/").content.decode()
    assert "时间: <time" in html and "2023-04-13 10:30:00" in html


def test_a_new_issue_takes_the_publishing_moment_as_its_date():
    issue = make_issue()
    make_entry(issue)
    issue = publish_now(issue)
    assert issue.dated_at == issue.published_at


def test_lists_and_neighbours_follow_the_issue_date_not_the_publish_moment(client):
    # Issue 13 was back-filled today, but its own date is older than issue 12's.
    twelve = make_issue(year=2023, number=12, status=Status.PUBLISHED,
                        dated_at=datetime.datetime(2023, 5, 1, tzinfo=CHINA))
    thirteen = make_issue(year=2023, number=13, status=Status.PUBLISHED,
                          dated_at=datetime.datetime(2023, 4, 13, tzinfo=CHINA))
    assert list(Issue.objects.published().newest_first()) == [twelve, thirteen]
    assert thirteen.newer() == twelve and twelve.older() == thirteen


def test_overview_counts_an_issue_in_the_month_of_its_own_date():
    issue = make_issue(status=Status.PUBLISHED, dated_at=datetime.datetime(2023, 4, 13, 10, 30, tzinfo=CHINA))
    make_entry(issue)
    issues = overview.published_between(datetime.date(2023, 4, 1), datetime.date(2023, 4, 30))
    assert list(issues) == [issue]
    months = overview.entries_per_month(issues, datetime.date(2023, 4, 1), datetime.date(2023, 5, 31))
    assert months == [("2023年4月", 1), ("2023年5月", 0)]


def test_data_migration_dates_existing_issues_by_their_publish_time_and_leaves_drafts_undated():
    published_at = datetime.datetime(2023, 4, 13, 2, 30, tzinfo=datetime.timezone.utc)
    out = make_issue(status=Status.PUBLISHED, published_at=published_at)
    draft = make_issue()
    Issue.objects.update(dated_at=None)
    withdrawn = make_issue(status=Status.WITHDRAWN)
    Issue.objects.filter(pk=withdrawn.pk).update(dated_at=None)
    migration = importlib.import_module("bulletins.migrations.0008_issue_dated_at_and_correction_note")
    migration.fill_dated_at(apps, None)
    dates = dict(Issue.objects.values_list("pk", "dated_at"))
    assert dates[out.pk] == published_at
    assert dates[draft.pk] is None
    assert dates[withdrawn.pk] == Issue.objects.get(pk=withdrawn.pk).created_at
