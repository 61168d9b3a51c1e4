"""The page numbers a process keeps in memory, for as long as PostgreSQL demonstrably tells it of every change.

bulletins/page_stamps.py reads the content generation and a page's stamp in one query per request.
On PostgreSQL a process may instead keep what it read. Every transaction that changes a number
also sends `NOTIFY wenming_page_numbers`, which PostgreSQL delivers at commit (never for a change
that is rolled back), and a thread in each process LISTENs on a connection of its own and forgets
everything kept when a change notification arrives. The process that commits a change forgets at
once too (on_commit), so its own next request never waits for the notification.

Keeping is a lease. Every HEARTBEAT_SECONDS the thread sends itself a ping through the same
channel; only when the ping has come back is the lease renewed for LEASE_SECONDS. So a connection
that is lost, silent (a blackholed route), or does not pass notifications on (PgBouncer in
transaction pooling) stops the keeping within seconds, and every request reads the database as
before; whatever was kept before a lapse is forgotten when the lease starts again.

A request trusts what is kept only when no notification is waiting for the thread (one poll of
its socket, no wait), so a change committed elsewhere is seen as soon as PostgreSQL has sent the
notification (it signals the listening backends as part of the commit, before the committer is
told), even if the thread has not run yet. A read that began before a notification is never kept after it (`epoch`).
Reads from a read replica are never kept: the replica may apply a change after its notification.

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
APPLICATION_NAME = "wenming-page-numbers"  # the listening connections, in pg_stat_activity
PING = "ping"
HEARTBEAT_SECONDS = 2
LEASE_SECONDS = 5  # two missed pings and a margin
WAKE_SECONDS = 0.5  # how soon the thread notices it is asked to stop
RETRY_SECONDS = 2
TCP_USER_TIMEOUT_MS = 4000  # a send left unacknowledged this long fails, instead of ~15 minutes of retries
MOST_KEPT = 20_000  # pages; a crawler asking for every possible URL empties the memory, nothing more


class KeptNumbers:
    """The numbers read per page, trusted while the lease runs and no notification is waiting."""

    def __init__(self):
        self._lock = threading.Lock()
        self._kept = {}
        self.epoch = 0
        self.fresh_until = 0.0  # time.monotonic() until which the lease runs
        self.connection = None  # the listening connection (psycopg2)
        self.notified = threading.Event()  # set on every forget and renewal (tests wait on it)

    @property
    def listening(self):
        return time.monotonic() < self.fresh_until

    def _trusted(self):
        return self.listening and not _pending(self.connection)

    def get(self, page):
        return self._kept.get(page) if self._trusted() else None

    def begin(self):
        """The token of a read that may be kept: None when nothing may be kept now."""
        return self.epoch if self._trusted() else None

    def keep(self, token, page, generation):
        with self._lock:
            if token is None or token != self.epoch or not self.listening:
                return
            if len(self._kept) >= MOST_KEPT:
                self._kept.clear()
            self._kept[page] = generation

    def _forget_locked(self):
        self.epoch += 1
        self._kept.clear()

    def forget(self, *, stop=False):
        with self._lock:
            self._forget_locked()
            if stop:
                self.fresh_until = 0.0
                self.connection = None
        self.notified.set()

    def renew(self, connection):
        """A ping came back on `connection`: keep for LEASE_SECONDS more; after a lapse, start afresh."""
        with self._lock:
            if not self.listening:
                self._forget_locked()
            self.connection = connection
            self.fresh_until = time.monotonic() + LEASE_SECONDS
        self.notified.set()


def _pending(connection):
    """Whether a notification is waiting for the listening thread: received by the connection but
    not handled yet, or still on its socket (polled, no wait)."""
    if connection is None:
        return True
    try:
        if connection.notifies:
            return True
        poller = select.poll()
        poller.register(connection.fileno(), select.POLLIN)
        return bool(poller.poll(0))
    except Exception:  # noqa: BLE001 - a closed connection: trust nothing
        return True


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
        kept.forget(stop=True)  # whatever a parent process kept is not ours to trust
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
    kept.forget(stop=True)


def announce(alias="default"):
    """Called by every write of a page number, inside its transaction."""
    connection = connections[alias]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"NOTIFY {CHANNEL}")
    transaction.on_commit(kept.forget, using=alias)


def _connect(params):
    import psycopg2

    params = {**params, "connect_timeout": 5, "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
              "keepalives_count": 2, "tcp_user_timeout": TCP_USER_TIMEOUT_MS, "application_name": APPLICATION_NAME}
    params.pop("cursor_factory", None)
    params.pop("server_side_binding", None)
    connection = psycopg2.connect(**params)
    connection.autocommit = True
    return connection


def _listen(params):
    """The thread's loop: listen, ping, forget on every change, reconnect after a loss."""
    failing = False
    while not _stopping.is_set():
        connection = None
        try:
            connection = _connect(params)
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
            failing = False
            _serve(connection)
        except Exception as error:  # noqa: BLE001 - any loss: stop keeping, retry
            if not failing:
                logger.warning("页面编号通知连接中断或无法建立，暂按每次请求读取数据库：%s", error)
            failing = True
            kept.forget(stop=True)
        finally:
            if connection is not None:
                connection.close()
        _stopping.wait(RETRY_SECONDS)
    kept.forget(stop=True)


def _serve(connection):
    own_backend = connection.get_backend_pid()
    pinged_at = 0.0
    while not _stopping.is_set():
        if time.monotonic() - pinged_at >= HEARTBEAT_SECONDS:
            with connection.cursor() as cursor:  # a lost connection raises here, within TCP_USER_TIMEOUT_MS
                cursor.execute(f"NOTIFY {CHANNEL}, '{PING}'")
            pinged_at = time.monotonic()
        if not connection.notifies:  # the ping's own notification comes back with its reply: handle it now
            readable, _, _ = select.select([connection], [], [], WAKE_SECONDS)
            if readable:
                connection.poll()
        _handle(connection, own_backend)


def _handle(connection, own_backend):
    """Forget on any change; renew the lease when our own ping came back after it."""
    notifies = list(connection.notifies)
    if any(notify.payload != PING for notify in notifies):
        kept.forget()
    if any(notify.payload == PING and notify.pid == own_backend for notify in notifies):
        kept.renew(connection)
    del connection.notifies[:len(notifies)]  # only now may a request trust what is kept again
