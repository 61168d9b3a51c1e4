"""Periodic jobs: scheduled in the application, claimed once per cluster, run by the task queue."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import AuditEvent
from bulletins.models import EntryImage, EntrySearchIndex
from periodic.jobs import enqueue_due_jobs
from periodic.models import PeriodicJob

from .factories import make_audit_event, make_entry, make_issue, make_published_issue, make_user

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def retention(settings):
    settings.AUDIT_RETENTION_DAYS = 365


def test_a_due_job_is_enqueued_by_only_one_of_several_servers(retention):
    now = timezone.now()
    first = enqueue_due_jobs(now=now, by="server-a:1")
    second = enqueue_due_jobs(now=now, by="server-b:1")
    assert sorted(first) == ["check_integrity", "prune_audit_log", "purge_recycle_bin", "verify_snapshots"]
    assert second == []
    assert set(PeriodicJob.objects.values_list("claimed_by", flat=True)) == {"server-a:1"}


def test_a_job_is_due_again_after_its_interval(retention):
    now = timezone.now()
    enqueue_due_jobs(now=now, by="a")
    assert enqueue_due_jobs(now=now + DAY / 2, by="b") == []
    assert sorted(enqueue_due_jobs(now=now + DAY, by="b")) == [
        "check_integrity", "prune_audit_log", "purge_recycle_bin", "verify_snapshots"]


def test_audit_pruning_is_off_unless_a_retention_is_set():
    assert "prune_audit_log" not in enqueue_due_jobs(by="a")


def test_the_pruning_job_deletes_only_records_past_the_retention(retention):
    old = make_audit_event(created_at=timezone.now() - 400 * DAY)
    kept = make_audit_event(created_at=timezone.now() - 100 * DAY)
    enqueue_due_jobs(by="a")  # the test task backend runs a task as soon as it is enqueued
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and kept.pk in remaining
    assert AuditEvent.objects.filter(action="audit.prune", username="定期任务").exists()
    job = PeriodicJob.objects.get(name="prune_audit_log")
    assert job.outcome == PeriodicJob.Outcome.OK and "1 条" in job.message


def test_a_retention_below_the_legal_minimum_fails_the_job_visibly(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    enqueue_due_jobs(by="a")
    job = PeriodicJob.objects.get(name="prune_audit_log")
    assert job.outcome == PeriodicJob.Outcome.FAILED and "至少保留 180 天" in job.message


def test_the_integrity_check_rebuilds_missing_search_index_rows():
    entry = make_entry(make_published_issue(year=2023, number=13), body="<p>文明交通劝导。</p>")
    EntrySearchIndex.objects.filter(entry=entry).delete()
    enqueue_due_jobs(by="a")
    assert EntrySearchIndex.objects.filter(entry=entry).exists()
    job = PeriodicJob.objects.get(name="check_integrity")
    assert job.outcome == PeriodicJob.Outcome.OK and "1 条" in job.message


def test_the_integrity_check_reports_image_files_missing_from_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    EntryImage.objects.create(file="images/2026/12/0123456789abcdef0123456789abcdef.jpg", alt_text="图",
                              width=1, height=1, size=1, uploaded_by=make_user())
    enqueue_due_jobs(by="a")
    job = PeriodicJob.objects.get(name="check_integrity")
    assert job.outcome == PeriodicJob.Outcome.PROBLEMS
    assert "0123456789abcdef0123456789abcdef.jpg" in job.message


def test_the_recycle_bin_job_purges_issues_deleted_more_than_30_days_ago():
    from bulletins.models import DeletedIssue
    from bulletins.recycle_bin import keep

    old, recent = make_issue(year=2023, number=30), make_issue(year=2023, number=31)
    kept = [keep(issue, by=make_user()) for issue in (old, recent)]
    for deleted, age in zip(kept, (31 * DAY, DAY)):
        DeletedIssue.objects.filter(pk=deleted.pk).update(deleted_at=timezone.now() - age)
    enqueue_due_jobs(by="a")
    assert list(DeletedIssue.objects.values_list("issue_id", flat=True)) == [recent.pk]
    assert "1 期" in PeriodicJob.objects.get(name="purge_recycle_bin").message


def test_the_scheduler_command_enqueues_due_jobs_once():
    out = io.StringIO()
    call_command("run_periodic_jobs", "--once", stdout=out)
    call_command("run_periodic_jobs", "--once", stdout=out)
    assert out.getvalue().count("check_integrity") == 1
