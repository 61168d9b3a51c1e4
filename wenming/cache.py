"""A cache backend that fails open: the cache is an accelerator, never a dependency.

`FailOpenCache` wraps another backend (django-redis in production). Any error from it is
swallowed: a read answers "not cached", a write does nothing, and the page is built from the
database. After an error the wrapped backend is left alone for RETRY_AFTER seconds, so an outage
costs each process one failed attempt per interval instead of one per request, and the outage is
logged once when it starts and once when it ends, not once per request.

    CACHES = {"default": {
        "BACKEND": "wenming.cache.FailOpenCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
        "OPTIONS": {"BACKEND": "django_redis.cache.RedisCache", "RETRY_AFTER": 5, ...options of that backend},
    }}
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.utils.module_loading import import_string

logger = logging.getLogger("wenming.cache")

DEFAULT_RETRY_AFTER = 5.0


class _Outage:
    """Whether one cache location is known to be down, shared by every thread of the process."""

    def __init__(self):
        self.lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0

    def should_try(self):
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, location, error, retry_after):
        with self.lock:
            self.retry_at = time.monotonic() + retry_after
            if self.down_since is None:
                self.down_since = time.monotonic()
                logger.warning("缓存 %s 不可用，页面改为直接从数据库生成：%s", location, error)

    def succeeded(self, location):
        if self.down_since is None:
            return
        with self.lock:
            if self.down_since is not None:
                seconds = time.monotonic() - self.down_since
                self.down_since = None
                logger.warning("缓存 %s 已恢复（中断约 %.0f 秒）。", location, seconds)


_outages = {}
_outages_lock = threading.Lock()


def _outage_for(location):
    with _outages_lock:
        return _outages.setdefault(location, _Outage())


def outage_state(location):
    """True while the cache at `location` is known to be down in this process (for /readyz)."""
    outage = _outages.get(location)
    return outage is not None and outage.down_since is not None


class FailOpenCache(BaseCache):
    def __init__(self, location, params):
        options = dict(params.get("OPTIONS", {}))
        backend = options.pop("BACKEND", "django_redis.cache.RedisCache")
        self.retry_after = float(options.pop("RETRY_AFTER", DEFAULT_RETRY_AFTER))
        super().__init__({k: v for k, v in params.items() if k != "OPTIONS"})
        self.location = location
        self.inner = import_string(backend)(location, {**params, "OPTIONS": options})
        self.outage = _outage_for(location)

    def _call(self, method, default, *args, answers=(), **kwargs):
        """`answers`: exceptions that are the cache's answer, not its failure (incr's ValueError for
        a missing key); they reach the caller and leave the cache in use."""
        if not self.outage.should_try():
            return default
        try:
            result = getattr(self.inner, method)(*args, **kwargs)
        except answers:
            self.outage.succeeded(self.location)
            raise
        except Exception as error:  # noqa: BLE001 - any cache error means "no cache", never a failed request
            self.outage.failed(self.location, error, self.retry_after)
            return default
        self.outage.succeeded(self.location)
        return result

    def ping(self):
        """Reach the cache now, ignoring the retry interval; True when it answered."""
        try:
            self.inner.get("wenming:ping")
        except Exception as error:  # noqa: BLE001
            self.outage.failed(self.location, error, self.retry_after)
            return False
        self.outage.succeeded(self.location)
        return True

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._call("set", None, key, value, timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def delete_many(self, keys, version=None):
        self._call("delete_many", None, keys, version=version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version=version, answers=ValueError)

    def decr(self, key, delta=1, version=None):
        return self._call("decr", None, key, delta, version=version, answers=ValueError)

    def clear(self):
        self._call("clear", None)

    def close(self, **kwargs):
        try:
            self.inner.close(**kwargs)
        except Exception:  # noqa: BLE001
            pass


def redis_cache(url, *, retry_after=DEFAULT_RETRY_AFTER, key_prefix="wenming"):
    """The CACHES entry for a shared Redis that fails open, with short socket timeouts so a dead
    or unreachable Redis costs a request milliseconds, not the operating system's TCP timeout."""
    return {
        "BACKEND": "wenming.cache.FailOpenCache",
        "LOCATION": url,
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            "BACKEND": "django_redis.cache.RedisCache",
            "RETRY_AFTER": retry_after,
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
        },
    }
