"""Page numbers kept in memory while PostgreSQL tells the process of every change (bulletins/kept_numbers.py)."""

import os
import socket
import threading
import time

import psycopg2
import pytest
from django.db import connection, connections

from bulletins import kept_numbers, page_stamps
from bulletins.kept_numbers import KeptNumbers
from bulletins.models import PageStamp

PAGE = ("issue", "2023/13")


# The rule itself, on any database -----------------------------------------------------------------


class _Quiet:
    """A listening connection with nothing waiting on it."""

    notifies = []

    def fileno(self):
        return _QUIET_PIPE[0]


_QUIET_PIPE = os.pipe()


def _leased():
    numbers = KeptNumbers()
    numbers.renew(_Quiet())
    return numbers


def test_a_read_begun_before_a_notification_is_not_kept():
    numbers = _leased()
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
    numbers = _leased()
    numbers.keep(numbers.begin(), PAGE, "read")
    numbers.forget(stop=True)  # the connection is lost
    assert numbers.get(PAGE) is None


def test_the_lease_runs_out_and_starts_afresh(monkeypatch):
    numbers = _leased()
    numbers.keep(numbers.begin(), PAGE, "read")
    numbers.fresh_until = 0.0  # no ping came back in time
    assert numbers.get(PAGE) is None and numbers.begin() is None
    numbers.renew(_Quiet())  # back: what was kept before the lapse is not trusted
    assert numbers.get(PAGE) is None


def test_nothing_kept_is_trusted_while_a_notification_waits():
    numbers = _leased()
    numbers.keep(numbers.begin(), PAGE, "read")
    waiting = _Quiet()
    waiting.notifies = ["a change, received but not handled yet"]
    numbers.connection = waiting
    assert numbers.get(PAGE) is None and numbers.begin() is None
    read_end, write_end = os.pipe()
    os.write(write_end, b"x")  # a change still on the socket
    numbers.connection = type("Socket", (_Quiet,), {"fileno": lambda self: read_end})()
    assert numbers.get(PAGE) is None


def test_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(kept_numbers, "MOST_KEPT", 3)
    numbers = _leased()
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
def listening(settings, monkeypatch, request):
    settings.PAGE_NUMBERS_KEPT = True
    monkeypatch.setattr(kept_numbers, "RETRY_SECONDS", 0.2)
    request.addfinalizer(kept_numbers.stop_listening)  # also when the wait below fails
    kept_numbers.ensure_listening("default")
    _wait_for(lambda: kept_numbers.kept.listening)
    page_stamps.read(("warm", "up"))  # the statement is prepared on a connection's first read
    return kept_numbers.kept


def _other_connection():
    """A connection of another process, as far as this one can tell: nothing in-process is told."""
    other = psycopg2.connect(**connections["default"].get_connection_params())
    other.autocommit = True
    return other


def _stamp_in_database():
    return PageStamp.objects.get(scope=PAGE[0], key=PAGE[1]).number


def _commit_elsewhere(other):
    """What bump_pages does in another server's transaction, committed and acknowledged."""
    with other.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("UPDATE bulletins_pagestamp SET number = number + 1 WHERE scope = %s AND key = %s", PAGE)
        cursor.execute(f"NOTIFY {kept_numbers.CHANNEL}")
        cursor.execute("COMMIT")


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
def test_a_change_committed_elsewhere_is_seen_at_once(listening, django_assert_num_queries, monkeypatch):
    page_stamps.bump_pages([PAGE])
    first = _settled_read()
    assert _kept_read(django_assert_num_queries, 0) == first  # kept: no query

    # The listening thread receives the notification but is held before handling it (as if busy):
    # a request meanwhile must not trust what is kept.
    received, release = threading.Event(), threading.Event()
    handle = kept_numbers._handle

    def held(connection, own_backend):
        if any(notify.payload != kept_numbers.PING for notify in connection.notifies):
            received.set()
            release.wait(10)
        handle(connection, own_backend)

    monkeypatch.setattr(kept_numbers, "_handle", held)
    other = _other_connection()
    _commit_elsewhere(other)
    other.close()
    assert received.wait(5)
    assert _kept_read(django_assert_num_queries, 1).stamp == _stamp_in_database() == first.stamp + 1
    release.set()
    assert _settled_read().stamp == first.stamp + 1


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
                       "AND application_name = %s", [kept_numbers.APPLICATION_NAME])
    _wait_for(lambda: not listening.listening)
    _kept_read(django_assert_num_queries, 1)
    _kept_read(django_assert_num_queries, 1)  # nothing kept meanwhile
    # Changed while nobody was listening: the reconnected process must not trust what it read before.
    with other.cursor() as cursor:
        cursor.execute("UPDATE bulletins_pagestamp SET number = number + 1 WHERE scope = %s AND key = %s", PAGE)
    other.close()
    _wait_for(lambda: listening.listening)
    assert _settled_read().stamp == _stamp_in_database()
    _kept_read(django_assert_num_queries, 0)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_cached_page_follows_a_withdrawal_committed_elsewhere(listening, client):
    """The public page itself: cached, then changed by another server, then not served from the old entry."""
    from .factories import make_published_issue

    issue = make_published_issue(number=13)
    url = issue.get_absolute_url()
    assert client.get(url).status_code == 200
    epoch = listening.epoch
    other = _other_connection()
    with other.cursor() as cursor:
        cursor.execute("UPDATE bulletins_issue SET status = 'withdrawn' WHERE id = %s", [issue.pk])
        cursor.execute("UPDATE bulletins_pagestamp SET number = number + 1 WHERE scope = 'issue' AND key = %s",
                       [f"{issue.year}/{issue.number}"])
        cursor.execute(f"NOTIFY {kept_numbers.CHANNEL}")
    other.close()
    # Delivered (PostgreSQL signals the listeners at commit; this waits out its scheduling, not the thread's).
    _wait_for(lambda: listening.epoch != epoch or kept_numbers._pending(listening.connection))
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


class _FreezableProxy:
    """A TCP hop to PostgreSQL that can go silent: nothing forwarded, nothing closed (a blackholed route)."""

    def __init__(self, port):
        self.port_to, self.frozen = port, threading.Event()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.port_to))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    def _pump(self, source, target):
        while True:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            while self.frozen.is_set():
                time.sleep(0.05)
            target.sendall(data)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_silent_connection_stops_the_keeping_within_the_lease(settings, monkeypatch):
    settings.PAGE_NUMBERS_KEPT = True
    # The production ratio (a ping every 2 s, a 5 s lease: two missed pings and a margin), scaled
    # down so that the lease runs out in 1.5 s instead of being waited out for 5.
    monkeypatch.setattr(kept_numbers, "HEARTBEAT_SECONDS", 0.6)
    monkeypatch.setattr(kept_numbers, "LEASE_SECONDS", 1.5)
    proxy = _FreezableProxy(int(connections["default"].get_connection_params().get("port") or 5432))
    connect = kept_numbers._connect
    monkeypatch.setattr(kept_numbers, "_connect", lambda params: connect({**params, "host": "127.0.0.1",
                                                                          "port": proxy.port}))
    kept_numbers.ensure_listening("default")
    try:
        _wait_for(lambda: kept_numbers.kept.listening)
        page_stamps.read(("warm", "up"))
        page_stamps.bump_pages([PAGE])
        _settled_read()
        proxy.frozen.set()
        other = _other_connection()
        _commit_elsewhere(other)  # another server withdraws; this one is not told
        other.close()
        _wait_for(lambda: not kept_numbers.kept.listening, seconds=kept_numbers.LEASE_SECONDS + 5)
        assert page_stamps.read(PAGE).stamp == _stamp_in_database()
    finally:
        proxy.frozen.clear()  # the thread, blocked on its ping, can now see it is asked to stop
        kept_numbers.stop_listening()
        proxy.server.close()
