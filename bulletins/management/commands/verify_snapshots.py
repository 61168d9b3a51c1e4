"""Check every published issue's signed snapshot; name each problem and exit non-zero."""

from django.core.management.base import BaseCommand, CommandError

from bulletins.models import SnapshotCheck
from bulletins.snapshot_checks import run


class Command(BaseCommand):
    help = ("核验每一期已发布简报的签发快照：快照哈希、审计记录中的签发哈希、按现有数据重新生成、按签发的修订版本重新生成，"
            "四者须一致，期刊的状态、发布时间须与发布状态签名和审计记录中的签发、撤稿相符；发现问题时逐条指出期号和未通过的检查，在后台首页提示签发人和审计员，并以非零状态退出。")

    def handle(self, *args, **options):
        result = run(SnapshotCheck.Source.COMMAND)
        if not result.passed:
            for problem in result.problems:
                self.stderr.write(problem)
            raise CommandError(f"签发快照核验未通过：{result.checked} 期中发现 {len(result.problems)} 个问题。")
        self.stdout.write(f"签发快照核验通过：共 {result.checked} 期，全部一致。")
