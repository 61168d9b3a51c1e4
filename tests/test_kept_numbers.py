"""Page numbers kept in memory while PostgreSQL tells the process of every change (bulletins/kept_numbers.py)."""

import time

import psycopg2
import pytest
from django.db import connection, connections

from bulletins import kept_numbers, page_stamps
from bulletins.kept_numbers import KeptNumbers
from bulletins.models import PageStamp

PAGE = ("issue", "2023/13")


# The rule itself, on any database -----------------------------------------------------------------


def test_a_read_begun_before_a_notification_is_not_kept():
    numbers = KeptNumbers()
    numbers.forget(listening=True)
    token = numbers.begin()
    numbers.forget()  # a change committed while the read was on its way
    numbers.keep(token, PAGE, "old")
    assert numbers.get(PAGE) is None
    numbers.keep(numbers.begin(), PAGE, "new")
    assert numbers.get(PAGE) == "new"


def test_nothing_is_kept_or_served_while_not_listening():
    numbers = KeptNumbers()
    assert numbers.begin() is None
    numbers.keep(None, PAGE, "read")
    assert numbers.get(PAGE) is None
    numbers.forget(listening=True)
    numbers.keep(numbers.begin(), PAGE, "read")
    numbers.forget(listening=False)  # the connection is lost
    assert numbers.get(PAGE) is None


def test_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(kept_numbers, "MOST_KEPT", 3)
    numbers = KeptNumbers()
    numbers.forget(listening=True)
    for number in range(5):
        numbers.keep(numbers.begin(), ("issue", f"2023/{number}"), number)
    assert len(numbers._kept) <= 3
    assert numbers.get(("issue", "2023/4")) == 4


@pytest.mark.django_db
def test_tests_and_sqlite_read_the_database_every_time(django_assert_num_queries):
    page_stamps.read(("warm", "up"))  # PostgreSQL prepares the statement on a connection's first read
    with django_assert_num_queries(2):
        page_stamps.read(PAGE)
        page_stamps.read(PAGE)


# The listening thread, on PostgreSQL ------------------------------------------------------------

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="LISTEN/NOTIFY is PostgreSQL's")


def _wait_for(condition, seconds=10):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


@pytest.fixture
def listening(settings, monkeypatch):
    settings.PAGE_NUMBERS_KEPT = True
    monkeypatch.setattr(kept_numbers, "RETRY_SECONDS", 0.2)
    kept_numbers.ensure_listening("default")
    _wait_for(lambda: kept_numbers.kept.listening)
    page_stamps.read(("warm", "up"))  # the statement is prepared on a connection's first read
    yield kept_numbers.kept
    kept_numbers.stop_listening()


def _other_connection():
    """A connection of another process, as far as this one can tell: nothing in-process is told."""
    other = psycopg2.connect(**connections["default"].get_connection_params())
    other.autocommit = True
    return other


def _settled_read():
    """Read until the value is kept: a notification still on its way (e.g. of the test's own setup)
    rightly stops a read that began before it from being kept."""
    _wait_for(lambda: page_stamps.read(PAGE) and PAGE in kept_numbers.kept._kept)
    return page_stamps.read(PAGE)


def _kept_read(django_assert_num_queries, queries):
    with django_assert_num_queries(queries):
        return page_stamps.read(PAGE)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_change_committed_elsewhere_is_seen_at_once(listening, django_assert_num_queries):
    page_stamps.bump_pages([PAGE])
    first = _settled_read()
    assert _kept_read(django_assert_num_queries, 0) == first  # kept: no query

    listening.notified.clear()
    other = _other_connection()
    with other.cursor() as cursor:  # what bump_pages does in another server's transaction
        cursor.execute("UPDATE bulletins_pagestamp SET number = number + 1 WHERE scope = %s AND key = %s", PAGE)
        cursor.execute(f"NOTIFY {kept_numbers.CHANNEL}")
    other.close()
    assert listening.notified.wait(5)
    changed = _kept_read(django_assert_num_queries, 1)
    assert changed.stamp == first.stamp + 1
    assert changed.stamp == PageStamp.objects.get(scope=PAGE[0], key=PAGE[1]).number


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_this_process_forgets_at_its_own_commit(listening, django_assert_num_queries):
    first = _kept_read(django_assert_num_queries, 1)
    page_stamps.bump_pages([PAGE])  # autocommit: the forget runs now, before any notification
    assert _kept_read(django_assert_num_queries, 1).stamp != first.stamp


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_lost_connection_reads_the_database_until_it_is_back(listening, django_assert_num_queries):
    page_stamps.bump_pages([PAGE])
    _settled_read()
    other = _other_connection()
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid() AND (query LIKE 'LISTEN %%' OR query = 'SELECT 1')")
    _wait_for(lambda: not listening.listening)
    _kept_read(django_assert_num_queries, 1)
    _kept_read(django_assert_num_queries, 1)  # nothing kept meanwhile
    # Changed while nobody was listening: the reconnected process must not trust what it read before.
    with other.cursor() as cursor:
        cursor.execute("UPDATE bulletins_pagestamp SET number = number + 1 WHERE scope = %s AND key = %s", PAGE)
    other.close()
    _wait_for(lambda: listening.listening)
    assert _settled_read().stamp == PageStamp.objects.get(scope=PAGE[0], key=PAGE[1]).number
    _kept_read(django_assert_num_queries, 0)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_follows_a_withdrawal_committed_elsewhere(listening, client):
    """The public page itself: cached, then changed by another server, then not served from the old entry."""
    from .factories import make_published_issue

    issue = make_published_issue(number=13)
    url = issue.get_absolute_url()
    assert client.get(url).status_code == 200
    listening.notified.clear()
    other = _other_connection()
    with other.cursor() as cursor:
        cursor.execute("UPDATE bulletins_issue SET status = 'withdrawn' WHERE id = %s", [issue.pk])
        cursor.execute("UPDATE bulletins_pagestamp SET number = number + 1 WHERE scope = 'issue' AND key = %s",
                       [f"{issue.year}/{issue.number}"])
        cursor.execute(f"NOTIFY {kept_numbers.CHANNEL}")
    other.close()
    assert listening.notified.wait(5)
    assert client.get(url).status_code == 410


@on_postgresql
@pytest.mark.django_db
def test_the_statement_is_prepared_only_when_numbers_are_kept(settings):
    """PAGE_NUMBERS_KEPT=0 (e.g. behind PgBouncer's transaction pooling) leaves no state on a connection."""
    from django.test.utils import CaptureQueriesContext

    settings.PAGE_NUMBERS_KEPT = False
    with CaptureQueriesContext(connection) as plain:
        page_stamps.read(PAGE)
    assert [query["sql"].split()[0] for query in plain] == ["SELECT"]
    settings.PAGE_NUMBERS_KEPT = True  # inside the test's transaction nothing is kept, but it prepares
    with CaptureQueriesContext(connection) as prepared:
        page_stamps.read(PAGE)
        page_stamps.read(PAGE)
    assert [query["sql"].split()[0] for query in prepared][-2:] == ["EXECUTE", "EXECUTE"]
