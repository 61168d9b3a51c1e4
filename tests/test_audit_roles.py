"""PostgreSQL's two roles: the runtime role may only INSERT and SELECT the audit log."""

import contextlib
import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError

from accounts.audit import record
from accounts.checks import audit_table_owner
from accounts.models import AuditEvent

from .factories import make_audit_event

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's"),
]


@pytest.fixture
def runtime_role():
    """A role made for this test (CREATE ROLE is transactional: it goes with the test's rollback)."""
    name = f"{connection.settings_dict['NAME']}_runtime"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(name)}")
    call_command("grant_runtime_role", name, stdout=io.StringIO())
    return name


@contextlib.contextmanager
def acting_as(role):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


def refused(sql):
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)
    return str(caught.value)


def test_runtime_role_appends_and_reads_the_audit_log(runtime_role):
    with acting_as(runtime_role):
        record("login", username="alice")
        assert AuditEvent.objects.filter(username="alice").exists()


@pytest.mark.parametrize("sql", [
    "UPDATE accounts_auditevent SET action = 'forged'",
    "DELETE FROM accounts_auditevent",
    "TRUNCATE accounts_auditevent",
    "ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only",
    "DROP TRIGGER accounts_auditevent_no_truncate ON accounts_auditevent",
    "DELETE FROM accounts_auditchainhead",
    "TRUNCATE accounts_auditchainhead",
])
def test_runtime_role_cannot_change_the_audit_log(runtime_role, sql):
    make_audit_event()
    with acting_as(runtime_role):
        message = refused(sql)
    assert "permission denied" in message or "must be owner" in message


def test_deploy_check_warns_when_the_site_runs_as_the_owner():
    assert [warning.id for warning in audit_table_owner(None)] == ["wenming.W101"]


def test_deploy_check_is_quiet_for_the_runtime_role(runtime_role):
    with acting_as(runtime_role):
        assert audit_table_owner(None) == []
