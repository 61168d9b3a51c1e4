"""The page numbers a process keeps in memory, for as long as PostgreSQL tells it of every change.

bulletins/page_stamps.py reads the content generation and a page's stamp in one query per request.
On PostgreSQL a process may instead keep what it read. Every transaction that changes a number
also sends `NOTIFY wenming_page_numbers`, which PostgreSQL delivers at commit (never for a change
that is rolled back), and a thread in each process LISTENs on a connection of its own and forgets
everything kept when a notification arrives. The process that commits a change forgets at once
too (on_commit), so its own next request never waits for the notification.

While the listening connection is not up — not yet started, lost, PostgreSQL away — nothing is
kept and every request reads the database as before; after the connection is back, keeping
starts afresh. A heartbeat on that connection notices a silent loss within seconds.

A read that began before a notification is never kept after it (`epoch`), so a number read just
before a commit cannot outlive the commit's notification. Reads from a read replica are never
kept: the replica may apply a change after its notification has arrived.

Off in tests (PAGE_NUMBERS_KEPT = False) except where a test turns it on; only on PostgreSQL.
"""

import logging
import os
import select
import threading
import time

from django.conf import settings
from django.db import connections, transaction

logger = logging.getLogger("wenming.kept_numbers")

CHANNEL = "wenming_page_numbers"
HEARTBEAT_SECONDS = 5
WAKE_SECONDS = 0.5  # how soon the thread notices it is asked to stop
RETRY_SECONDS = 2
MOST_KEPT = 20_000  # pages; a crawler asking for every possible URL empties the memory, nothing more


class KeptNumbers:
    """The numbers read per page, valid while `listening` and while no notification has come since."""

    def __init__(self):
        self._lock = threading.Lock()
        self._kept = {}
        self.epoch = 0
        self.listening = False
        self.notified = threading.Event()  # set on every forget (tests wait on it)

    def get(self, page):
        return self._kept.get(page) if self.listening else None

    def begin(self):
        """The token of a read that may be kept: None when nothing may be kept now."""
        return self.epoch if self.listening else None

    def keep(self, token, page, generation):
        with self._lock:
            if token is None or token != self.epoch or not self.listening:
                return
            if len(self._kept) >= MOST_KEPT:
                self._kept.clear()
            self._kept[page] = generation

    def forget(self, *, listening=None):
        with self._lock:
            self.epoch += 1
            self._kept.clear()
            if listening is not None:
                self.listening = listening
        self.notified.set()


kept = KeptNumbers()
_started = {"pid": None, "thread": None}
_start_lock = threading.Lock()
_stopping = threading.Event()


def enabled(alias, connection):
    return alias == "default" and connection.vendor == "postgresql" and getattr(settings, "PAGE_NUMBERS_KEPT", True)


def ensure_listening(alias):
    """Start this process's listening thread (once per process: a forked worker starts its own)."""
    if _started["pid"] == os.getpid():
        return
    with _start_lock:
        if _started["pid"] == os.getpid():
            return
        kept.forget(listening=False)  # whatever a parent process kept is not ours to trust
        params = connections[alias].get_connection_params()
        _stopping.clear()
        thread = threading.Thread(target=_listen, args=(params,), name="page-numbers-listener", daemon=True)
        thread.start()
        _started.update(pid=os.getpid(), thread=thread)


def stop_listening():
    """Stop this process's thread and keep nothing (tests; a process that exits needs nothing)."""
    with _start_lock:
        thread, _started["thread"], _started["pid"] = _started["thread"], None, None
        _stopping.set()
    if thread is not None:
        thread.join()
    kept.forget(listening=False)


def announce(alias="default"):
    """Called by every write of a page number, inside its transaction."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")
    transaction.on_commit(kept.forget, using=alias)


def _connect(params):
    import psycopg2

    params = {**params, "connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5,
              "keepalives_interval": 2, "keepalives_count": 2}
    params.pop("cursor_factory", None)
    params.pop("server_side_binding", None)
    connection = psycopg2.connect(**params)
    connection.autocommit = True
    return connection


def _listen(params):
    """The thread's loop: listen, forget on every notification, reconnect after a loss."""
    while not _stopping.is_set():
        connection = None
        try:
            connection = _connect(params)
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
            kept.forget(listening=True)  # keep only what is read after LISTEN is in force
            _serve(connection)
        except Exception as error:  # noqa: BLE001 - any loss: stop keeping, retry
            if kept.listening:
                logger.warning("页面编号通知连接中断，暂按每次请求读取数据库：%s", error)
            kept.forget(listening=False)
        finally:
            if connection is not None:
                connection.close()
        _stopping.wait(RETRY_SECONDS)
    kept.forget(listening=False)


def _serve(connection):
    quiet_since = time.monotonic()
    while not _stopping.is_set():
        readable, _, _ = select.select([connection], [], [], WAKE_SECONDS)
        if readable:
            connection.poll()
            if connection.notifies:
                connection.notifies.clear()
                kept.forget()
        elif time.monotonic() - quiet_since >= HEARTBEAT_SECONDS:
            with connection.cursor() as cursor:  # a silent loss raises here
                cursor.execute("SELECT 1")
            quiet_since = time.monotonic()
