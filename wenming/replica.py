"""A read replica for anonymous public reads (DATABASE_REPLICA_URL).

`ReadReplicaMiddleware` marks a request as a public read when it is a GET or HEAD outside the
admin, from a client without a session (so not signed in) and without the "recent write" cookie;
`ReplicaRouter` sends that request's reads to the replica. Everything else — writes, the admin,
signed-in users, management commands, task workers — uses the primary. A client that has just
written anything (a POST, e.g. logging in or out) gets a short-lived cookie that keeps its reads
on the primary for REPLICA_PIN_SECONDS, longer than the replica normally lags, so it reads its own
write. The page's numbers (content generation and page stamp) are read from the same database as
the page, so a lagging replica gives an older but consistent page, cached under its older numbers.
"""

import logging
import time
from contextvars import ContextVar

from django.conf import settings
from django.db import connections

logger = logging.getLogger("wenming.replica")

REPLICA = "replica"
PIN_COOKIE = "wenming_primary"
SAFE_METHODS = ("GET", "HEAD")

_reading_replica = ContextVar("wenming_reading_replica", default=False)
RETRY_AFTER = 5.0  # seconds to leave an unreachable replica alone
_replica_down_until = [0.0]


def replica_configured():
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return REPLICA if _reading_replica.get() else "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


def is_public_read(request):
    return (
        request.method in SAFE_METHODS
        and not request.path_info.startswith("/admin/")
        and not any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, "messages", PIN_COOKIE))
    )


class ReadReplicaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.pin_seconds = int(getattr(settings, "REPLICA_PIN_SECONDS", 15))

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        if is_public_read(request) and replica_reachable():
            token = _reading_replica.set(True)
            try:
                return self.get_response(request)
            finally:
                _reading_replica.reset(token)
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            response.set_cookie(
                PIN_COOKIE, "1", max_age=self.pin_seconds, httponly=True, samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


def replica_reachable():
    """Connect to the replica (kept open between requests); when it cannot be reached, read the
    primary instead and leave the replica alone for RETRY_AFTER seconds, logging once."""
    if time.monotonic() < _replica_down_until[0]:
        return False
    try:
        connections[REPLICA].ensure_connection()
    except Exception as error:  # noqa: BLE001 - any failure means "read the primary"
        if _replica_down_until[0] == 0.0:
            logger.warning("数据库备库不可用，公开页面改从主库读取：%s", error)
        _replica_down_until[0] = time.monotonic() + RETRY_AFTER
        return False
    if _replica_down_until[0]:
        logger.warning("数据库备库已恢复。")
        _replica_down_until[0] = 0.0
    return True
