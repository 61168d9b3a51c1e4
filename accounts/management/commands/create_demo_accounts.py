from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts


class Command(BaseCommand):
    help = "为开发环境创建每个角色一个演示账号（生产环境拒绝执行）。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="在 DEBUG=False 时也执行（仅限演示服务器）")

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("演示账号使用公开的密码，只能在开发环境（DEBUG=True）创建。")
        created = create_demo_accounts()
        for username, real_name, role in DEMO_ACCOUNTS:
            mark = "新建" if username in created else "已存在"
            self.stdout.write(f"{role}：{username}（{real_name}）{mark}")
        self.stdout.write(f"演示账号密码：{DEMO_PASSWORD}")
