from django.core.management.base import BaseCommand
from tqdm import tqdm

from bulletins.models import Entry
from bulletins.search import rebuild_index


class Command(BaseCommand):
    help = "重建全部条目的检索索引（批量导入或直接改库之后使用）。"

    def handle(self, *args, **options):
        with tqdm(total=Entry.objects.count(), desc="重建检索索引", unit="条", disable=options["verbosity"] == 0) as bar:
            total = rebuild_index(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"已为 {total} 条条目重建检索索引。"))
