"""Delete audit records older than N days (N ≥ 180), only when an operator runs it.

On PostgreSQL run it with the owner role's DATABASE_URL: the runtime role may not delete.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditEvent

MINIMUM_DAYS = 180


class Command(BaseCommand):
    help = f"删除早于指定天数的审计记录（至少保留 {MINIMUM_DAYS} 天）。"

    def add_arguments(self, parser):
        parser.add_argument("--older-than-days", type=int, required=True, dest="days")

    def handle(self, *args, days, **options):
        if days < MINIMUM_DAYS:
            raise CommandError(f"审计记录至少保留 {MINIMUM_DAYS} 天，--older-than-days 不能小于 {MINIMUM_DAYS}。")
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = AuditEvent.objects.prune(older_than=cutoff)
        record("audit.prune", username="prune_audit_log", detail=f"删除 {cutoff:%Y-%m-%d} 之前的记录 {deleted} 条")
        self.stdout.write(f"已删除 {deleted} 条 {days} 天前的审计记录。")
