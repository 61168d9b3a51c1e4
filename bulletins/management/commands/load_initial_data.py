from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, create_demo_accounts
from bulletins.importer import parse_file
from bulletins.importer.writer import existing_issue, import_issue
from bulletins.models import Issue
from bulletins.sample_registry import load_sample_registry

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "bulletin-2023-13.txt"
ADMIN_URL = "http://127.0.0.1:8000/admin/"
PORTAL_URL = "http://127.0.0.1:8000/portal/"


class Command(BaseCommand):
    help = ("载入演示数据：人物和单位名录、示例简报（已发布）；开发环境（DEBUG=True）或加 --demo 时"
            "另建每个角色一个演示账号。可重复运行。")

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true",
                            help="DEBUG=False 时也创建演示账号（密码公开，仅限演示服务器）")

    @transaction.atomic
    def handle(self, *args, demo, **options):
        people, units = load_sample_registry()
        self.stdout.write(f"名录：新增人物{people}个，单位{units}个。")

        parsed = parse_file(SAMPLE)
        issue = existing_issue(parsed)
        if issue is None:
            issue = import_issue(parsed, status=Issue.Status.PUBLISHED)
            self.stdout.write(f"示例简报：已导入 {issue}。")
        else:
            self.stdout.write(f"示例简报：{issue} 已存在，未改动。")

        if not (settings.DEBUG or demo):
            self.stdout.write("演示账号：未创建。演示账号的密码是公开的，只在开发环境（DEBUG=True）或加 --demo 时创建；"
                              "正式环境请用 manage.py create_first_admin 建立第一个系统管理员。")
            return
        created = create_demo_accounts()
        self.stdout.write(f"演示账号：新建{len(created)}个。")
        correspondent = None
        if settings.DEBUG:  # the correspondent's demo password is public; development only
            from submissions.demo import create_demo_correspondent

            correspondent, made = create_demo_correspondent()
            self.stdout.write(f"演示通讯员：{'已新建，并报送了几篇演示信息' if made else '已存在，未改动'}。")

        self.stdout.write(self.style.SUCCESS(f"\n管理后台：{ADMIN_URL}"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}，仅供本机演示，正式使用前请删除或修改）：")
        for username, real_name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:　<5} {username:<9} {real_name}")
        if correspondent is not None:
            self.stdout.write(f"  通讯员　　 {correspondent.username:<9} {correspondent.real_name}"
                              f"（{correspondent.reporting_unit}，报送平台：{PORTAL_URL}）")
