from pathlib import Path

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts import roles
from accounts.models import User
from bulletins.importer import parse_file
from bulletins.importer.writer import existing_issue, import_issue
from bulletins.models import Issue
from bulletins.sample_registry import load_sample_registry

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "bulletin-2023-13.txt"
ADMIN_URL = "http://127.0.0.1:8000/admin/"
DEMO_PASSWORD = "Wenming-Demo-2026"
# username, real name, role
DEMO_ACCOUNTS = [
    ("editor", "张编辑", roles.EDITOR),
    ("reviewer", "李审核", roles.REVIEWER),
    ("signer", "王签发", roles.SIGNER),
    ("sysadmin", "赵管理", roles.ADMINISTRATOR),
    ("auditor", "陈审计", roles.AUDITOR),
]


class Command(BaseCommand):
    help = "载入演示数据：人物和单位名录、示例简报（已发布）、每个角色一个演示账号。可重复运行。"

    @transaction.atomic
    def handle(self, *args, **options):
        people, units = load_sample_registry()
        self.stdout.write(f"名录：新增人物{people}个，单位{units}个。")

        parsed = parse_file(SAMPLE)
        issue = existing_issue(parsed)
        if issue is None:
            issue = import_issue(parsed, status=Issue.Status.PUBLISHED)
            self.stdout.write(f"示例简报：已导入 {issue}。")
        else:
            self.stdout.write(f"示例简报：{issue} 已存在，未改动。")

        created = sum(self.demo_account(username, real_name, role) for username, real_name, role in DEMO_ACCOUNTS)
        self.stdout.write(f"演示账号：新建{created}个。")

        self.stdout.write(self.style.SUCCESS(f"\n管理后台：{ADMIN_URL}"))
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}，仅供本机演示，正式使用前请删除或修改）：")
        for username, real_name, role in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:　<5} {username:<9} {real_name}")

    def demo_account(self, username, real_name, role):
        """Create the account if it is missing; an existing one (and its password) is left alone."""
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"real_name": real_name, "is_staff": True, "password_changed_at": timezone.now()},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=role))
        return created
