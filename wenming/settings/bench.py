"""Production-like settings for `make bench` only: DEBUG off, manifest static files, local loopback.

BENCH_CACHE=pages-off renders every page afresh while the small lookups (site settings, section
list, scheduled time) stay cached as in production (the "uncached" phase); BENCH_CACHE=dummy turns
every cache off; otherwise the caches are whatever base.py configures.
"""

import os

from .base import *  # noqa: F401,F403
from .base import CACHES

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-key-never-used-in-production-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

if os.environ.get("BENCH_CACHE") == "pages-off":
    PUBLIC_PAGE_CACHE = False
if os.environ.get("BENCH_CACHE") == "dummy":
    CACHES = {name: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for name in CACHES}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
