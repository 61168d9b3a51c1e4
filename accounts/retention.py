"""How long audit records are kept, and their pruning (by an operator or the periodic job)."""

import datetime

from django.utils import timezone

MINIMUM_DAYS = 180  # 等保 2.0: at least six months


class RetentionTooShort(ValueError):
    pass


def prune_audit_log(days, *, actor):
    """Delete audit records older than `days` (≥ MINIMUM_DAYS) and audit the pruning itself."""
    from .audit import record
    from .models import AuditEvent

    if days < MINIMUM_DAYS:
        raise RetentionTooShort(f"审计记录至少保留 {MINIMUM_DAYS} 天，天数不能小于 {MINIMUM_DAYS}。")
    cutoff = timezone.now() - datetime.timedelta(days=days)
    deleted = AuditEvent.objects.prune(older_than=cutoff)
    record("audit.prune", username=actor, detail=f"删除 {cutoff:%Y-%m-%d} 之前的记录 {deleted} 条")
    return deleted
