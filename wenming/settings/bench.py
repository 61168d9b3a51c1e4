"""Production-like settings for `make bench` only: DEBUG off, manifest static files, local loopback.

BENCH_CACHE=dummy turns every cache off (the "uncached" phase); otherwise the caches are
whatever base.py configures (local memory, or Redis when it is set up there).
"""

import os

from .base import *  # noqa: F401,F403
from .base import CACHES

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-key-never-used-in-production-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

if os.environ.get("BENCH_CACHE") == "dummy":
    CACHES = {name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in CACHES}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
