from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from tqdm import tqdm

from submissions.corpus import SubmissionGenerator


class Command(BaseCommand):
    help = "生成用于演示和性能测试的模拟报送信息（单位、通讯员、报送信息及处理记录）。"

    def add_arguments(self, parser):
        parser.add_argument("--submissions", type=int, default=20_000, help="报送信息篇数（默认 20000）")
        parser.add_argument("--units", type=int, default=150, help="报送单位数（默认 150）")
        parser.add_argument("--years", type=int, default=3, help="分布在最近几年（默认 3）")
        parser.add_argument("--seed", type=int, default=0, help="随机种子，相同种子生成相同内容")

    def handle(self, *args, submissions, units, years, seed, **options):
        if submissions < 1 or units < 1 or years < 1:
            raise CommandError("篇数、单位数和年数都必须是正整数。")
        generator = SubmissionGenerator(seed=seed)
        with tqdm(total=submissions, desc="生成报送信息", unit="篇", disable=options["verbosity"] == 0) as bar:
            made = generator.generate(submissions, units=units, years=years, progress=bar.update)
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The visibility map, so the inbox counts from its index alone: what autovacuum does a
            # little later on a live site (VACUUM cannot run inside the generator's transaction).
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE submissions_submission, submissions_submissiontransition")
        self.stdout.write(self.style.SUCCESS(f"已生成 {made} 篇报送信息，来自 {units} 个单位。"))
