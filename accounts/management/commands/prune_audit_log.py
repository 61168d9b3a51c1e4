"""Delete audit records older than N days (N ≥ 180) when an operator runs it; the periodic job
`prune_audit_log` (periodic/jobs.py) does the same on schedule when AUDIT_RETENTION_DAYS is set."""

from django.core.management.base import BaseCommand, CommandError

from accounts.retention import MINIMUM_DAYS, RetentionTooShort, prune_audit_log


class Command(BaseCommand):
    help = f"删除早于指定天数的审计记录（至少保留 {MINIMUM_DAYS} 天）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True, dest="days")

    def handle(self, *args, days, **options):
        try:
            deleted = prune_audit_log(days, actor="prune_audit_log")
        except RetentionTooShort:
            raise CommandError(f"审计记录至少保留 {MINIMUM_DAYS} 天，--older-than-days 不能小于 {MINIMUM_DAYS}。") from None
        self.stdout.write(f"已删除 {deleted} 条 {days} 天前的审计记录。")
