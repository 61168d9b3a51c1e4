"""Rebuild every entry's near-duplicate band keys (after entries were bulk-created)."""

from django.core.management.base import BaseCommand

from bulletins.models import Entry
from bulletins.nearcopies import store_bands

BATCH = 2000


class Command(BaseCommand):
    help = "重建条目近似重复检测的签名索引。"

    def handle(self, *args, **options):
        entries = Entry.objects.only("pk", "plain_text").order_by("pk")
        count, last = 0, 0
        while True:
            batch = list(entries.filter(pk__gt=last)[:BATCH])
            if not batch:
                break
            store_bands(batch)
            count, last = count + len(batch), batch[-1].pk
        self.stdout.write(f"已为{count}个条目重建签名索引。")
