"""The periodic jobs' work, run by the task worker (enqueued by periodic/jobs.py)."""

import logging

from django.conf import settings
from django.core.files.storage import default_storage
from django_tasks import task

from .jobs import finished
from .models import PeriodicJob

logger = logging.getLogger(__name__)


@task()
def prune_audit_log():
    from accounts.retention import prune_audit_log as prune

    days = int(getattr(settings, "AUDIT_RETENTION_DAYS", 0))
    try:
        deleted = prune(days, actor="定期任务")
    except Exception as error:
        finished("prune_audit_log", PeriodicJob.Outcome.FAILED, str(error))
        raise
    finished("prune_audit_log", PeriodicJob.Outcome.OK, f"删除 {days} 天前的审计记录 {deleted} 条。")
    return deleted


def _repair_search_index():
    from bulletins.models import Entry
    from bulletins.search import index_entries

    missing = Entry.objects.filter(search_index__isnull=True)
    count = missing.count()
    if count:
        index_entries(missing.select_related("issue"))
    return count


def _missing_image_files():
    from bulletins.models import EntryImage

    return [name for name in EntryImage.objects.values_list("file", flat=True).iterator() if not default_storage.exists(name)]


@task()
def check_integrity():
    """Entries missing from the search index are re-indexed; images whose file is gone are reported."""
    reindexed = _repair_search_index()
    missing = _missing_image_files()
    lines = [f"补建检索索引 {reindexed} 条。"]
    if missing:
        lines.append(f"图片文件缺失 {len(missing)} 个：" + "、".join(missing[:20]) + ("……" if len(missing) > 20 else ""))
        logger.error("integrity check: %d image files missing from storage", len(missing))
    finished("check_integrity", PeriodicJob.Outcome.PROBLEMS if missing else PeriodicJob.Outcome.OK, "\n".join(lines))
    return {"reindexed": reindexed, "missing_images": len(missing)}


@task()
def verify_snapshots():
    """The four checks of every published issue's signed snapshot (bulletins/snapshot_checks.py)."""
    from bulletins.models import SnapshotCheck
    from bulletins.snapshot_checks import run

    result = run(SnapshotCheck.Source.PERIODIC)
    lines = [f"核验已发布期刊 {result.checked} 期。"] + result.problems[:50]
    if len(result.problems) > 50:
        lines.append(f"……共 {len(result.problems)} 个问题，其余见后台首页提示。")
    finished("verify_snapshots", PeriodicJob.Outcome.OK if result.passed else PeriodicJob.Outcome.PROBLEMS,
             "\n".join(lines))
    return {"checked": result.checked, "problems": len(result.problems)}


@task()
def purge_recycle_bin():
    """The recycle bin also purges itself whenever it is used; this covers a bin nobody opens."""
    from bulletins.recycle_bin import purge_expired

    purged = purge_expired()
    finished("purge_recycle_bin", PeriodicJob.Outcome.OK, f"清除满 30 天的已删除期刊 {purged} 期。")
    return purged


@task()
def write_audit_digest():
    """The audit chain's daily digest outside the database (accounts/audit_digest.py)."""
    from accounts.audit_digest import write

    try:
        path = write()
    except OSError as error:
        finished("audit_digest", PeriodicJob.Outcome.FAILED, f"每日摘要写入失败：{error}")
        raise
    finished("audit_digest", PeriodicJob.Outcome.OK, f"已写入 {path}。")
    return str(path)
