from io import StringIO

import pytest
from django.core.management import call_command

from accounts import roles
from accounts.models import User
from bulletins import workflow
from bulletins.models import Entry, EntryPerson, Issue, Person, PersonTitle, Unit

from .factories import make_entry, make_issue

pytestmark = pytest.mark.django_db

DEMO_PASSWORD = "Wenming-Demo-2026"


def load(*args):
    out = StringIO()
    call_command("load_initial_data", "--demo", *args, stdout=out)
    return out.getvalue()


def test_without_debug_or_demo_no_account_is_created(settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("load_initial_data", stdout=out)
    assert User.objects.count() == 0 and Issue.objects.published().count() == 1
    assert "未创建" in out.getvalue() and DEMO_PASSWORD not in out.getvalue()


def test_with_debug_on_the_demo_accounts_are_created(settings):
    settings.DEBUG = True
    call_command("load_initial_data", stdout=StringIO())
    assert User.objects.filter(username="editor").exists()


def counts():
    return [model.objects.count() for model in (Issue, Entry, EntryPerson, Person, PersonTitle, Unit, User)]


def test_sample_issue_is_loaded_as_published():
    load()
    issue = Issue.objects.published().get()
    assert (issue.year, issue.number, issue.entries.count()) == (2023, 13, 12)


def test_registry_is_loaded_and_linked_to_the_sample():
    load()
    assert EntryPerson.objects.get(person__name="陶斌").title_as_written == "市委常委、宣传部部长"
    assert Unit.objects.get(short_names__contains="市残联").entries.count() == 1


def test_one_demo_account_per_role_with_a_real_name():
    load()
    for username, role in [("editor", roles.EDITOR), ("reviewer", roles.REVIEWER), ("signer", roles.SIGNER),
                           ("sysadmin", roles.ADMINISTRATOR), ("auditor", roles.AUDITOR)]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.is_staff and user.real_name and user.password_changed_at
        assert not user.is_superuser


def test_demo_password_logs_in_and_meets_a_strict_policy():
    load()
    assert User.objects.get(username="editor").check_password(DEMO_PASSWORD)
    classes = [any(test(c) for c in DEMO_PASSWORD) for test in (str.islower, str.isupper, str.isdigit)]
    classes.append(any(not c.isalnum() for c in DEMO_PASSWORD))
    assert len(DEMO_PASSWORD) >= 10 and sum(classes) >= 3


def test_output_names_the_admin_url_and_the_logins():
    output = load()
    assert "http://127.0.0.1:8000/admin/" in output
    assert "editor" in output and DEMO_PASSWORD in output and "张编辑" in output


def test_running_twice_changes_nothing():
    load()
    before = counts()
    editor = User.objects.get(username="editor")
    output = load()
    assert counts() == before
    assert User.objects.get(username="editor").password == editor.password
    assert "已存在，未改动" in output


def test_a_changed_demo_password_is_left_alone():
    load()
    editor = User.objects.get(username="editor")
    editor.set_password("Another-Secret-2026")
    editor.save()
    load()
    assert User.objects.get(username="editor").check_password("Another-Secret-2026")


def test_demo_accounts_reach_the_admin_index_without_a_forced_password_change(client):
    load()
    for username in ("editor", "reviewer", "signer", "sysadmin", "auditor"):
        assert client.login(username=username, password=DEMO_PASSWORD)
        response = client.get("/admin/")
        assert response.status_code == 200, username
        client.logout()


def test_load_initial_data_and_create_demo_accounts_share_one_set_of_accounts(settings):
    settings.DEBUG = True
    load()
    call_command("create_demo_accounts", stdout=StringIO())
    assert User.objects.count() == 6  # the five roles of the office and the demo 通讯员


def test_demo_accounts_receive_the_workflow_notifications(mailoutbox, django_capture_on_commit_callbacks):
    load()
    issue = make_issue(year=2024, number=1, created_by=User.objects.get(username="editor"))
    make_entry(issue)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(issue, by=User.objects.get(username="editor"))
    assert [message.to for message in mailoutbox] == [["reviewer@wenming.example"]]


def test_make_run_prints_every_demo_login_with_its_password():
    import re
    from pathlib import Path

    from accounts.demo import DEMO_ACCOUNTS
    from submissions.demo import USERNAME as CORRESPONDENT

    banner = [line for line in (Path(__file__).resolve().parent.parent / "Makefile").read_text().splitlines()
              if "演示账号" in line]
    assert banner and DEMO_PASSWORD in banner[0]
    for username in [account[0] for account in DEMO_ACCOUNTS] + [CORRESPONDENT]:
        assert re.search(rf"(?<![a-z]){username} ", banner[0]), username
