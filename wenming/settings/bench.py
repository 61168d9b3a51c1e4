"""Production-like settings for `make bench` only: DEBUG off, manifest static files, local loopback.

BENCH_CACHE=pages-off renders every page afresh while the small lookups (site settings, navigation,
search filter options, ranked results and rendered result pages per query) stay cached as in
production (the "uncached" phase); otherwise the caches are whatever base.py configures.
"""

import os

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-only-key-never-used-in-production-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

if os.environ.get("BENCH_CACHE") == "pages-off":
    PUBLIC_PAGE_CACHE = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
