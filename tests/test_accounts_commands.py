"""The management command that creates the first 系统管理员."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import AuditEvent, User
from accounts.roles import ADMINISTRATOR

from .factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def admin_password(monkeypatch):
    monkeypatch.setenv("WENMING_ADMIN_PASSWORD", "First-Admin-2026!")


def create_first_admin(*args):
    call_command("create_first_admin", *args, "--noinput", stdout=io.StringIO())


def test_creates_an_administrator_from_arguments():
    create_first_admin("--username", "sysadmin", "--real-name", "周强")
    user = User.objects.get(username="sysadmin")
    assert user.is_staff and user.check_password("First-Admin-2026!")
    assert list(user.groups.values_list("name", flat=True)) == [ADMINISTRATOR]


def test_reads_username_and_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("WENMING_ADMIN_USERNAME", "sysadmin")
    call_command("create_first_admin", "--noinput", stdout=io.StringIO())
    assert User.objects.get(username="sysadmin").check_password("First-Admin-2026!")


def test_refuses_a_password_on_the_command_line():
    with pytest.raises(CommandError, match="unrecognized arguments|无法识别"):
        create_first_admin("--username", "sysadmin", "--password", "First-Admin-2026!")
    assert not User.objects.filter(username="sysadmin").exists()


def test_asks_for_the_password_at_the_prompt(monkeypatch):
    monkeypatch.delenv("WENMING_ADMIN_PASSWORD")
    monkeypatch.setattr("getpass.getpass", lambda prompt: "Prompted-Admin-2026!")
    call_command("create_first_admin", "--username", "sysadmin", stdout=io.StringIO())
    assert User.objects.get(username="sysadmin").check_password("Prompted-Admin-2026!")


def test_without_a_prompt_or_the_environment_there_is_no_password(monkeypatch):
    monkeypatch.delenv("WENMING_ADMIN_PASSWORD")
    with pytest.raises(CommandError, match="WENMING_ADMIN_PASSWORD"):
        create_first_admin("--username", "sysadmin")


def test_refuses_when_an_administrator_exists():
    make_staff(ADMINISTRATOR)
    with pytest.raises(CommandError, match="已存在系统管理员"):
        create_first_admin("--username", "second")


def test_refuses_a_weak_password_in_chinese(monkeypatch):
    monkeypatch.setenv("WENMING_ADMIN_PASSWORD", "short")
    with pytest.raises(CommandError, match="密码不符合要求"):
        create_first_admin("--username", "sysadmin")


def test_creation_is_recorded_in_the_audit_log():
    create_first_admin("--username", "sysadmin")
    assert AuditEvent.objects.filter(action="account.create", object_repr="sysadmin").exists()


def test_demo_accounts_are_refused_outside_development(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="只能在开发环境"):
        call_command("create_demo_accounts", stdout=io.StringIO())


def test_demo_accounts_hold_one_role_each(settings):
    settings.DEBUG = True
    call_command("create_demo_accounts", stdout=io.StringIO())
    assert User.objects.get(username="sysadmin").groups.get().name == ADMINISTRATOR
