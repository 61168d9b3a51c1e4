"""Check the audit log's hash chain; name the first broken record and exit non-zero."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts import audit_digest
from accounts.audit_chain import HEAD_ID, verify
from accounts.models import AuditChainHead, AuditEvent


class Command(BaseCommand):
    help = ("逐条核对审计记录的哈希链、链头和最近一次每日摘要（AUDIT_DIGEST_DIR），发现被修改、删除、插入或清空的记录"
            "时指出第一条并以非零状态退出。")

    def handle(self, *args, **options):
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:  # one snapshot of both tables while others append
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
            events = AuditEvent.objects.order_by("id").iterator(chunk_size=2000)
            try:
                broken = verify(events, head)
            finally:
                events.close()
            broken = broken or audit_digest.check(head)
            count = AuditEvent.objects.count()
        if broken is not None:
            raise CommandError(f"审计记录哈希链已断开。{broken.message}")
        last = head.last_hash if head is not None else "无"
        self.stdout.write(f"审计记录哈希链完整：共 {count} 条，最后一条哈希 {last}。")
