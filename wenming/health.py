"""Health checks for load balancers, answered before any other middleware.

`/healthz`: the process is up (no database, no cache). `/readyz`: the database answers; the
cache's state is reported but never fails readiness, as the site works without it
(wenming/cache.py). Neither opens a session, needs a login, checks the Host header, redirects
to HTTPS or may be cached by anyone.
"""

import json

from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse

PATHS = ("/healthz", "/readyz")


def _answer(body, status=200):
    response = HttpResponse(json.dumps(body), status=status, content_type="application/json")
    response["Cache-Control"] = "no-store"
    return response


def _database_ok():
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
    return True


def _cache_state():
    ping = getattr(cache, "ping", None)
    try:
        reachable = ping() if ping else (cache.set("wenming:ping", 1, 5) or True)
    except Exception:  # noqa: BLE001
        reachable = False
    return "ok" if reachable else "unavailable"


def readiness():
    database = _database_ok()
    body = {"status": "ok" if database else "unavailable", "database": "ok" if database else "unavailable",
            "cache": _cache_state()}
    return body, 200 if database else 503


class HealthCheckMiddleware:
    """First in MIDDLEWARE, so a probe costs nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in PATHS or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        if request.path_info == "/healthz":
            return _answer({"status": "ok"})
        return _answer(*readiness())
