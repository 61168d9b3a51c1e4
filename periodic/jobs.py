"""Periodic jobs, scheduled in the application and run once per cluster.

Every server may run `manage.py run_periodic_jobs` (a loop, beside the task worker); no cron line
is needed anywhere. Each pass claims the jobs that are due with one conditional UPDATE per job
on its `PeriodicJob` row (next_run_at <= now → next_run_at = now + interval): the database lets
exactly one of the concurrent schedulers win, and the winner enqueues the job on the task queue
(wenming/tasks.py) in the same transaction, where any one worker runs it.
"""

import datetime
import os
import socket
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import PeriodicJob


@dataclass(frozen=True)
class Job:
    name: str
    label: str
    every: datetime.timedelta
    task_path: str  # "module.task", imported when enqueued (tasks import models)

    def enabled(self):
        if self.name == "prune_audit_log":
            return bool(getattr(settings, "AUDIT_RETENTION_DAYS", 0))
        if self.name == "audit_digest":
            return bool(getattr(settings, "AUDIT_DIGEST_DIR", ""))
        return True

    @property
    def task(self):
        from django.utils.module_loading import import_string

        return import_string(self.task_path)


def _hours(name, default):
    return datetime.timedelta(hours=float(getattr(settings, name, default)))


def registered_jobs():
    return [
        Job("prune_audit_log", "清理过期审计记录", _hours("AUDIT_PRUNE_EVERY_HOURS", 24), "periodic.tasks.prune_audit_log"),
        Job("check_integrity", "数据完整性检查", _hours("INTEGRITY_CHECK_EVERY_HOURS", 24), "periodic.tasks.check_integrity"),
        Job("verify_snapshots", "网页防篡改核验（签发快照）", _hours("SNAPSHOT_CHECK_EVERY_HOURS", 24),
            "periodic.tasks.verify_snapshots"),
        Job("purge_recycle_bin", "清除回收站中满 30 天的期刊", _hours("RECYCLE_BIN_PURGE_EVERY_HOURS", 24),
            "periodic.tasks.purge_recycle_bin"),
        Job("audit_digest", "审计链每日摘要（写到数据库之外）", _hours("AUDIT_DIGEST_EVERY_HOURS", 24),
            "periodic.tasks.write_audit_digest"),
    ]


def scheduler_name():
    return f"{socket.gethostname()}:{os.getpid()}"


def claim(job, *, now, by):
    """True when this caller won the due run of `job` (and moved its next run forward)."""
    PeriodicJob.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    return bool(
        PeriodicJob.objects.filter(name=job.name, next_run_at__lte=now).update(
            next_run_at=now + job.every, claimed_by=by[:200], claimed_at=now
        )
    )


def enqueue_due_jobs(*, now=None, by=None):
    """Claim and enqueue every enabled job that is due; the names of those this caller enqueued."""
    now = now or timezone.now()
    by = by or scheduler_name()
    enqueued = []
    for job in registered_jobs():
        if not job.enabled():
            continue
        with transaction.atomic():
            if claim(job, now=now, by=by):
                job.task.enqueue()
                enqueued.append(job.name)
    return enqueued


def finished(name, outcome, message):
    """Record how a run ended, on the job's row (shown in the admin)."""
    PeriodicJob.objects.filter(name=name).update(finished_at=timezone.now(), outcome=outcome, message=message[:5000])
