import statistics
import tempfile
import time
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from bulletins.importer import parse_text
from bulletins.models import Issue
from bulletins.sample_registry import load_sample_registry

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "bulletin-2023-13.txt"
FIRST_YEAR = 1950  # far from real issues, so the run never collides with them


class _RollBack(Exception):
    pass


def archive_texts(count):
    """`count` issues in the sample's format: the sample's text under other years and numbers."""
    sample = SAMPLE.read_text(encoding="utf-8")
    title = "2023年文明城市创建(第13期)"
    for index in range(count):
        year, number = FIRST_YEAR + index // 50, index % 50 + 1
        yield f"{year}-{number:02d}.txt", sample.replace(title, f"{year}年文明城市创建(第{number}期)", 1)


class Command(BaseCommand):
    help = "测量导入速度：解析一期的耗时，以及从目录导入N期的总耗时（默认回滚，不留数据）。"

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, default=1000, help="导入的期数（默认1000）")
        parser.add_argument("--keep", action="store_true", help="保留导入的数据（默认测完回滚）")

    def handle(self, *args, issues, keep, **options):
        text = SAMPLE.read_text(encoding="utf-8")
        runs = []
        for _ in range(200):
            start = time.perf_counter()
            parse_text(text)
            runs.append((time.perf_counter() - start) * 1000)
        self.stdout.write(f"解析一期（示例，12条）：中位数 {statistics.median(runs):.2f} 毫秒，最慢 {max(runs):.2f} 毫秒")

        with tempfile.TemporaryDirectory() as directory:
            for name, content in archive_texts(issues):
                (Path(directory) / name).write_text(content, encoding="utf-8")
            elapsed, cpu, queries = self.timed_import(directory, keep)
        self.stdout.write(
            f"导入 {issues} 期（{issues * 12} 条，{connection.vendor}）：{elapsed:.1f} 秒"
            f"（本进程CPU {cpu:.1f} 秒），每期 {elapsed / issues * 1000:.1f} 毫秒，{queries / issues:.0f} 次查询"
        )

    def timed_import(self, directory, keep):
        try:
            with transaction.atomic():
                load_sample_registry()
                start, cpu_start = time.perf_counter(), time.process_time()
                queries = []
                with connection.execute_wrapper(lambda execute, sql, *rest: queries.append(1) or execute(sql, *rest)):
                    call_command("import_bulletin", directory, verbosity=0, stdout=StringIO(), stderr=StringIO())
                elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
                assert Issue.objects.filter(year__lt=2000).count() >= 1
                if not keep:
                    raise _RollBack
        except _RollBack:
            pass
        return elapsed, cpu, len(queries)
