from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bulletins.corpus import CorpusGenerator


class Command(BaseCommand):
    help = "生成用于演示和性能测试的模拟简报档案（已发布的期刊、条目、人物、单位，并建立检索索引）。"

    def add_arguments(self, parser):
        parser.add_argument("--issues", type=int, required=True, help="要生成的期数")
        parser.add_argument("--entries-per-issue", type=int, default=25, help="每期条目数（默认 25）")
        parser.add_argument("--seed", type=int, default=0, help="随机种子，相同种子生成相同内容")

    def handle(self, *args, issues, entries_per_issue, seed, **options):
        if issues < 1 or entries_per_issue < 1:
            raise CommandError("期数和每期条目数都必须是正整数。")
        generator = CorpusGenerator(seed=seed, entries_per_issue=entries_per_issue)
        with tqdm(total=issues, desc="生成期刊", unit="期", disable=options["verbosity"] == 0) as bar:
            issue_count, entry_count = generator.generate(issues, progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"已生成 {issue_count} 期、{entry_count} 条条目，检索索引已建立。"))
