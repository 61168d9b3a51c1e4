"""Anonymous public reads go to the replica; writes, the admin, signed-in users and a client that
has just written go to the primary (wenming/replica.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from bulletins.models import Issue
from wenming.replica import PIN_COOKIE, ReadReplicaMiddleware, ReplicaRouter

from .servers import PostgresPair

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def with_replica(monkeypatch):
    monkeypatch.setattr("wenming.replica.replica_configured", lambda: True)
    monkeypatch.setattr("wenming.replica.replica_reachable", lambda: True)


def _routed(request):
    """Where the router sends a read made while the middleware handles `request`, and the response."""
    seen = {}

    def view(request):
        seen["read"] = ReplicaRouter().db_for_read(Issue)
        return HttpResponse("ok")

    response = ReadReplicaMiddleware(view)(request)
    return seen["read"], response


@pytest.mark.parametrize("path", ["/", "/issues/2023/13/", "/search/?q=创文", "/feed/"])
def test_anonymous_public_reads_go_to_the_replica(with_replica, path):
    assert _routed(RequestFactory().get(path))[0] == "replica"


@pytest.mark.parametrize("request_", [
    pytest.param(lambda rf: rf.get("/", HTTP_COOKIE="sessionid=abc"), id="signed-in"),
    pytest.param(lambda rf: rf.get("/admin/login/"), id="admin"),
    pytest.param(lambda rf: rf.post("/admin/login/"), id="write"),
    pytest.param(lambda rf: rf.get("/", HTTP_COOKIE=f"{PIN_COOKIE}=1"), id="just-wrote"),
])
def test_everything_else_reads_the_primary(with_replica, request_):
    assert _routed(request_(RequestFactory()))[0] == "default"


def test_a_write_pins_the_client_to_the_primary_for_a_while(with_replica, settings):
    settings.REPLICA_PIN_SECONDS = 20
    _, response = _routed(RequestFactory().post("/admin/logout/"))
    assert response.cookies[PIN_COOKIE]["max-age"] == 20 and response.cookies[PIN_COOKIE]["httponly"]


def test_an_unreachable_replica_sends_public_reads_to_the_primary(monkeypatch):
    from django.db import OperationalError

    from wenming import replica

    attempts = []

    class Unreachable:
        def ensure_connection(self):
            attempts.append(1)
            raise OperationalError("connection refused")

    monkeypatch.setattr(replica, "replica_configured", lambda: True)
    monkeypatch.setattr(replica, "_replica_down_until", [0.0])
    monkeypatch.setattr(replica, "connections", {replica.REPLICA: Unreachable()})
    assert _routed(RequestFactory().get("/"))[0] == "default"
    assert _routed(RequestFactory().get("/"))[0] == "default"
    assert len(attempts) == 1  # left alone for a while after a failure


def test_writes_and_migrations_always_go_to_the_primary():
    router = ReplicaRouter()
    assert router.db_for_write(Issue) == "default"
    assert router.allow_migrate("replica", "bulletins") is False


def test_without_a_replica_nothing_is_routed_or_pinned():
    read, response = _routed(RequestFactory().post("/admin/logout/"))
    assert read == "default" and PIN_COOKIE not in response.cookies


@pytest.fixture(scope="module")
def postgres_pair():
    if os.environ.get("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"):
        pytest.skip("只在 PostgreSQL 上运行：设置 DATABASE_URL=postgres://… 后运行本测试")
    reason = PostgresPair.missing()
    if reason:
        pytest.skip(f"无法启动流复制备库：{reason}")
    pair = PostgresPair().start()
    yield pair
    pair.stop()


@pytest.mark.system
def test_a_real_streaming_replica_serves_anonymous_readers_and_the_primary_everyone_else(postgres_pair):
    import psycopg2

    admin = psycopg2.connect(postgres_pair.url(postgres_pair.primary_port, "postgres"))
    admin.autocommit = True
    admin.cursor().execute("CREATE DATABASE app")
    admin.close()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "wenming.settings.test",
        "DATABASE_URL": postgres_pair.url(postgres_pair.primary_port, "app"),
        "DATABASE_REPLICA_URL": postgres_pair.url(postgres_pair.replica_port, "app"),
    }
    result = subprocess.run([sys.executable, str(ROOT / "tests" / "replica_scenario.py")], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "replicated": True,
        "anonymous_sees_new_issue": False,  # the paused replica does not have it yet
        "anonymous_sees_old_issue": True,
        "signed_in_sees_new_issue": True,
        "after_a_write_sees_new_issue": True,
        "anonymous_sees_new_issue_once_replicated": True,
    }
