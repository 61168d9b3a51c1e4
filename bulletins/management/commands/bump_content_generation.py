from django.core.management.base import BaseCommand

from bulletins.page_stamps import bump_generation, read


class Command(BaseCommand):
    help = "开始新的公开内容版本，使缓存中的全部公开页面失效（从备份恢复数据库之后必须执行）。"

    def handle(self, *args, **options):
        bump_generation()
        self.stdout.write(self.style.SUCCESS(f"已开始新的公开内容版本 {read().number}，缓存中的旧页面不再使用。"))
