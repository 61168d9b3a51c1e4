"""Run by tests/test_read_replica.py in a subprocess whose DATABASE_URL and DATABASE_REPLICA_URL name
a real primary and its streaming replica; prints what each kind of reader saw, as JSON."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bulletins.models import Issue  # noqa: E402
from tests.factories import make_published_issue, make_user  # noqa: E402


def on_replica(year, number, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Issue.objects.using("replica").filter(year=year, number=number).exists():
            return True
        time.sleep(0.1)
    return False


def shows(client, number):
    return f"(第{number}期)" in client.get("/issues/").content.decode()


def replica_sql(statement):
    with connections["replica"].cursor() as cursor:
        cursor.execute(statement)


setup_test_environment()
call_command("migrate", verbosity=0)
seen = {}
make_published_issue(year=2023, number=13)
seen["replicated"] = on_replica(2023, 13)
replica_sql("SELECT pg_wal_replay_pause()")
try:
    make_published_issue(year=2023, number=14)  # on the primary only, while the replica is paused
    anonymous = Client()
    seen["anonymous_sees_new_issue"] = shows(anonymous, 14)
    seen["anonymous_sees_old_issue"] = shows(anonymous, 13)
    signed_in = Client()
    signed_in.force_login(make_user(username="reader"))
    seen["signed_in_sees_new_issue"] = shows(signed_in, 14)
    writer = Client()
    writer.post("/admin/logout/")
    seen["after_a_write_sees_new_issue"] = shows(writer, 14)
finally:
    replica_sql("SELECT pg_wal_replay_resume()")
on_replica(2023, 14)
seen["anonymous_sees_new_issue_once_replicated"] = shows(Client(), 14)
print(json.dumps(seen))
