"""The sealed chain head and the daily digest outside the database (accounts/audit_digest.py):
deleting the last or the first records and rewriting the head, copying an old head back, or
emptying both tables is reported by `verify_audit_log`, as the database's owner could do it."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from accounts import audit_digest
from accounts.models import AuditChainHead
from periodic.jobs import enqueue_due_jobs
from periodic.models import PeriodicJob

from .factories import make_audit_event
from .test_audit_chain import broken_message, raw, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def digests(settings, tmp_path):
    settings.AUDIT_DIGEST_DIR = str(tmp_path / "audit-digests")
    return tmp_path / "audit-digests"


@pytest.fixture
def three_events():
    return [make_audit_event("login", username=name) for name in ("alice", "bobby", "carol")]


def rewrite_head(**values):
    assignments = ", ".join(f"{name} = %s" for name in values)
    raw(f"UPDATE accounts_auditchainhead SET {assignments}", *values.values())


def head_values():
    return AuditChainHead.objects.values("last_hash", "anchor", "count", "seal").get()


def test_the_head_counts_the_records_and_is_sealed(three_events):
    head = AuditChainHead.objects.get()
    assert head.count == 3 and len(head.seal) == 64
    assert "审计记录哈希链完整：共 3 条" in verify()


def test_a_deleted_tail_with_the_head_rewritten_is_reported(three_events):
    first, second, third = three_events
    raw("DELETE FROM accounts_auditevent WHERE id = %s", third.pk)
    rewrite_head(last_hash=second.row_hash, count=2)
    assert "审计链头记录与其密钥哈希不符" in broken_message()


def test_deleted_first_rows_with_the_anchor_rewritten_are_reported(three_events):
    first, second, third = three_events
    raw("DELETE FROM accounts_auditevent WHERE id = %s", first.pk)
    rewrite_head(anchor=second.prev_hash, count=2)
    assert "审计链头记录与其密钥哈希不符" in broken_message()


def test_a_deleted_tail_with_an_old_sealed_head_copied_back_is_reported_by_the_digest(digests, three_events):
    earlier = head_values()  # the head after three records, read by the attacker
    fourth = make_audit_event("logout", username="alice")
    audit_digest.write()
    raw("DELETE FROM accounts_auditevent WHERE id = %s", fourth.pk)
    rewrite_head(**earlier)
    message = broken_message()
    assert f"记录的最后一条审计记录（编号 {fourth.pk}）已不存在" in message and "audit-digest-" in message


@pytest.mark.parametrize("wipe", ["delete", "truncate"])
def test_emptying_both_tables_is_reported_by_the_digest(digests, three_events, wipe):
    audit_digest.write()
    if wipe == "truncate" and connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's")
    if wipe == "truncate":  # as the superuser: the guard of accounts 0007 is switched off first
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL wenming.audit_truncate = 'on'")
            cursor.execute("TRUNCATE accounts_auditevent, accounts_auditchainhead")
    else:
        raw("DELETE FROM accounts_auditevent")
        raw("DELETE FROM accounts_auditchainhead")
    assert f"（编号 {three_events[2].pk}）已不存在" in broken_message()


def test_an_audited_pruning_after_a_digest_still_verifies(digests):
    now = timezone.now()
    old = make_audit_event(created_at=now - datetime.timedelta(days=400))
    make_audit_event(created_at=now - datetime.timedelta(days=10))
    audit_digest.write()
    pruned = head_values()
    call_command("prune_audit_log", "--older-than-days", "365", stdout=io.StringIO())
    assert "审计记录哈希链完整" in verify()  # an audited pruning moves the anchor
    assert head_values()["anchor"] == old.row_hash and pruned["anchor"] != old.row_hash


def test_an_edited_digest_is_reported(digests, three_events):
    path = audit_digest.write()
    values = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**values, "last_id": three_events[0].pk}), encoding="utf-8")
    assert "与其密钥哈希不符：摘要文件被改动" in broken_message()


def test_the_newest_digest_is_the_one_checked(digests, three_events):
    audit_digest.write(now=timezone.now() - datetime.timedelta(days=1))
    earlier = head_values()
    fourth = make_audit_event("logout", username="alice")
    audit_digest.write()
    assert len(list(digests.glob("audit-digest-*.json"))) == 2
    raw("DELETE FROM accounts_auditevent WHERE id = %s", fourth.pk)
    rewrite_head(**earlier)  # yesterday's digest alone would accept this chain
    assert f"（编号 {fourth.pk}）已不存在" in broken_message()


def test_the_periodic_job_writes_the_digest_outside_the_database(digests, three_events):
    enqueue_due_jobs(by="a")
    job = PeriodicJob.objects.get(name="audit_digest")
    assert job.outcome == PeriodicJob.Outcome.OK
    (path,) = digests.glob("audit-digest-*.json")
    assert json.loads(path.read_text(encoding="utf-8"))["last_id"] == three_events[2].pk
    assert "审计记录哈希链完整" in verify()


def test_no_digest_is_written_when_the_directory_is_unset(settings):
    settings.AUDIT_DIGEST_DIR = ""
    assert audit_digest.write() is None
    assert "audit_digest" not in enqueue_due_jobs(by="a")
