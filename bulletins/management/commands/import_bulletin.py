import logging
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bulletins.importer import SUFFIXES, DuplicateIssue, ImportFailed, parse_file
from bulletins.importer.writer import import_issue
from bulletins.linking import Registry

logger = logging.getLogger(__name__)


def files_in(paths):
    """The files named, and every .txt/.docx/.html inside the directories named, in a stable order."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            found.append(path)
        else:
            raise CommandError(f"找不到文件或目录：{path}")
    return found


class Command(BaseCommand):
    help = "导入简报（.txt、.docx、.html 文件或整个目录），每个文件一个事务。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="文件或目录")
        parser.add_argument("--status", choices=["draft", "published"], default=None,
                            help="导入后的状态：draft 草稿（新导入的默认）或 published 已发布；--replace 时不写则保持原状态")
        parser.add_argument("--replace", action="store_true", help="同一期已存在时覆盖它")

    def handle(self, *args, paths, status, replace, verbosity=1, **options):
        files = files_in(paths)
        if not files:
            raise CommandError("没有找到可导入的 .txt、.docx 或 .html 文件。")
        registry = Registry.load()
        imported, skipped, failed = [], [], []
        progress = tqdm(files, desc="导入", unit="个", file=sys.stderr, disable=verbosity < 1 or len(files) < 2)
        for path in progress:
            try:
                parsed = parse_file(path)
                issue = import_issue(parsed, status=status, replace=replace, registry=registry)
            except DuplicateIssue as error:
                skipped.append((path, f"{error}如需覆盖，请加 --replace。"))
            except ImportFailed as error:
                failed.append((path, str(error)))
            except Exception:  # one bad file must never stop the rest
                logger.exception("import_bulletin failed on %s", path)
                failed.append((path, f"文件“{path}”：导入时出现意外错误（可能是文件损坏或编码不对），未写入任何内容；"
                                     "详细信息已写入日志。"))
            else:
                imported.append((path, issue, parsed))
        progress.close()
        self.report(imported, skipped, failed, verbosity)
        if failed:
            raise CommandError(f"有{len(failed)}个文件导入失败，见上方原因；其余文件不受影响。")

    def report(self, imported, skipped, failed, verbosity):
        for path, issue, parsed in imported:
            if verbosity >= 1:
                self.stdout.write(
                    f"已导入：{path} → {issue}（{issue.get_status_display()}，{len(parsed.entries)}条）"
                )
            for note in parsed.notes if verbosity >= 1 else ():
                self.stdout.write(f"    请核对：{note}")
        for _, reason in skipped:
            self.stdout.write(self.style.WARNING(f"已跳过：{reason}"))
        for _, reason in failed:
            self.stderr.write(f"失败：{reason}")
        total = len(imported) + len(skipped) + len(failed)
        summary = f"共{total}个文件：导入{len(imported)}个，已存在跳过{len(skipped)}个，失败{len(failed)}个。"
        self.stdout.write(self.style.SUCCESS(summary) if not failed else summary)

