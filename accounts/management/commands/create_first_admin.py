"""Create the first 系统管理员 of a new installation (once)."""

import getpass
import os

from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.audit import record
from accounts.models import User
from accounts.roles import ADMINISTRATOR


class Command(BaseCommand):
    help = "创建第一个系统管理员账号；已有系统管理员时拒绝执行。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("WENMING_ADMIN_USERNAME"))
        parser.add_argument("--real-name", default=os.environ.get("WENMING_ADMIN_REAL_NAME", ""))
        parser.add_argument("--unit", default=os.environ.get("WENMING_ADMIN_UNIT", ""))
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, username, real_name, unit, interactive, **options):
        group = Group.objects.get(name=ADMINISTRATOR)
        if group.user_set.filter(is_active=True).exists():
            raise CommandError("已存在系统管理员账号，不再创建。请由现有系统管理员在后台创建新账号。")
        # Never a command-line argument: it would stay in the shell history and in `ps`.
        password = os.environ.get("WENMING_ADMIN_PASSWORD")
        if not username:
            if not interactive:
                raise CommandError("请用 --username 或环境变量 WENMING_ADMIN_USERNAME 指定用户名。")
            username = input("用户名：").strip()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名“{username}”已被使用。")
        user = User(username=username, real_name=real_name, unit=unit, is_staff=True)
        if not password:
            if not interactive:
                raise CommandError("请在环境变量 WENMING_ADMIN_PASSWORD 中提供密码，或去掉 --noinput 按提示输入。")
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
        try:
            password_validation.validate_password(password, user)
        except ValidationError as error:
            raise CommandError("密码不符合要求：" + "；".join(error.messages)) from None
        with transaction.atomic():
            user.set_password(password)
            user.save()
            user.groups.add(group)
            record("account.create", obj=user, username="create_first_admin", detail=f"角色：{ADMINISTRATOR}（首个管理员）")
        self.stdout.write(self.style.SUCCESS(f"已创建系统管理员“{username}”。"))
