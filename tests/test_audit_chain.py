"""The audit log's hash chain: `verify_audit_log` catches every raw-SQL tampering; the ORM changes nothing."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from accounts.audit import record
from accounts.models import AuditChainHead, AuditEvent, AuditLogIsAppendOnly

from .factories import make_audit_event

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's triggers and roles")


def verify():
    out = io.StringIO()
    call_command("verify_audit_log", stdout=out)
    return out.getvalue()


def broken_message():
    with pytest.raises(CommandError) as caught:
        verify()
    return str(caught.value)


def raw(sql, *params):
    """Tamper as the database's owner would, past the ORM and the append-only trigger."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


@pytest.fixture
def three_events():
    return [make_audit_event("login", username=name) for name in ("alice", "bobby", "carol")]


def test_an_untouched_log_verifies(three_events):
    assert "审计记录哈希链完整" in verify()


def test_each_record_points_to_the_one_before(three_events):
    first, second, third = three_events
    assert (second.prev_hash, third.prev_hash) == (first.row_hash, second.row_hash)


def test_records_written_through_record_are_chained():
    record("logout", username="alice")
    record("logout", username="bobby")
    assert "审计记录哈希链完整" in verify()


def test_an_edited_row_is_named(three_events):
    raw("UPDATE accounts_auditevent SET username = 'mallory' WHERE id = %s", three_events[1].pk)
    message = broken_message()
    assert f"编号 {three_events[1].pk}）的内容与其哈希不符" in message


def test_a_deleted_row_is_named_by_the_row_after_it(three_events):
    raw("DELETE FROM accounts_auditevent WHERE id = %s", three_events[1].pk)
    assert f"审计记录（编号 {three_events[2].pk}）不接续上一条（编号 {three_events[0].pk}）" in broken_message()


def test_a_deleted_first_row_is_detected(three_events):
    raw("DELETE FROM accounts_auditevent WHERE id = %s", three_events[0].pk)
    assert f"第一条审计记录（编号 {three_events[1].pk}）不接续链起点" in broken_message()


def test_a_deleted_last_row_is_detected(three_events):
    raw("DELETE FROM accounts_auditevent WHERE id = %s", three_events[2].pk)
    assert f"编号 {three_events[1].pk} 之后的审计记录被删除" in broken_message()


def test_an_inserted_row_is_named(three_events):
    raw("INSERT INTO accounts_auditevent (created_at, username, action, object_type, object_id, object_repr, outcome,"
        " detail, prev_hash, row_hash) VALUES (%s, 'mallory', 'login', '', '', '', 'success', '', %s, %s)",
        timezone.now(), three_events[2].row_hash, "f" * 64)
    inserted = AuditEvent.objects.latest("id")
    assert f"编号 {inserted.pk}）的内容与其哈希不符" in broken_message()


def test_an_inserted_row_with_a_copied_hash_is_named(three_events):
    raw("INSERT INTO accounts_auditevent (created_at, username, action, object_type, object_id, object_repr, outcome,"
        " detail, prev_hash, row_hash) VALUES (%s, 'mallory', 'login', '', '', '', 'success', '', %s, %s)",
        timezone.now(), three_events[0].prev_hash, three_events[0].row_hash)
    inserted = AuditEvent.objects.latest("id")
    assert f"审计记录（编号 {inserted.pk}）不接续上一条" in broken_message()


def test_an_emptied_log_is_detected(three_events):
    raw("DELETE FROM accounts_auditevent")
    assert "全部的审计记录被删除或清空" in broken_message()


@postgresql_only
def test_truncate_is_refused_by_the_database(three_events):
    with pytest.raises(DatabaseError, match="不能清空"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks block TRUNCATE
        cursor.execute("SET LOCAL wenming.audit_truncate = 'off'")
        cursor.execute("TRUNCATE accounts_auditevent")


@postgresql_only
def test_a_truncated_log_is_detected(three_events):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL wenming.audit_truncate = 'on'")
        cursor.execute("TRUNCATE accounts_auditevent")
    record("login", username="alice")
    assert f"编号 {AuditEvent.objects.get().pk}）不接续链起点" in broken_message()


def test_pruning_keeps_the_chain_verifiable():
    now = timezone.now()
    make_audit_event(created_at=now - datetime.timedelta(days=400))
    make_audit_event(created_at=now - datetime.timedelta(days=390))
    kept = make_audit_event(created_at=now - datetime.timedelta(days=10))
    call_command("prune_audit_log", "--older-than-days", "365", stdout=io.StringIO())
    assert AuditEvent.objects.order_by("id").first() == kept
    assert "审计记录哈希链完整" in verify()


def test_deleting_the_oldest_rows_without_pruning_is_detected(three_events):
    raw("DELETE FROM accounts_auditevent WHERE id <= %s", three_events[1].pk)
    assert "不接续链起点" in broken_message()


# The ORM refuses every path (SQLite has no trigger) -----------------------------

@pytest.mark.parametrize("change", [
    lambda: AuditEvent._base_manager.update(action="forged"),
    lambda: AuditEvent._base_manager.all().delete(),
    lambda: AuditEvent.objects.filter(action="login").update(action="forged"),
    lambda: AuditEvent.objects.filter(action="login").delete(),
    lambda: AuditEvent.objects.bulk_update(list(AuditEvent.objects.all()), ["action"]),
    lambda: AuditEvent.objects.update_or_create(id=AuditEvent.objects.first().id, defaults={"action": "forged"}),
    lambda: AuditEvent.objects.all()._raw_delete("default"),
], ids=["base-update", "base-delete", "update", "delete", "bulk_update", "update_or_create", "raw_delete"])
def test_every_orm_update_or_delete_path_is_refused(three_events, change):
    with pytest.raises(AuditLogIsAppendOnly):
        change()
    assert set(AuditEvent.objects.values_list("action", flat=True)) == {"login"}
    assert AuditEvent.objects.count() == 3


def test_bulk_create_chains_each_record():
    AuditEvent.objects.bulk_create([AuditEvent(action="login", username=name) for name in ("alice", "bobby")])
    assert "审计记录哈希链完整" in verify()


def test_the_chain_head_follows_the_last_record(three_events):
    assert AuditChainHead.objects.get().last_hash == three_events[2].row_hash


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_form_one_chain():
    def write(n):
        try:
            for i in range(5):
                record("login", username=f"user{n}-{i}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert AuditEvent.objects.count() == 20
    assert "审计记录哈希链完整" in verify()
