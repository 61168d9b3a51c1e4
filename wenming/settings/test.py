from .base import *  # noqa: F401,F403
from .base import DATABASES, STORAGES

SECRET_KEY = "test-only-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Tasks run as soon as they are enqueued (mail after commit: use django_capture_on_commit_callbacks);
# tests of the queue itself switch to the database backend and run the worker (tests/test_tasks.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# The test runner empties tables with TRUNCATE between transactional tests; the audit tables'
# TRUNCATE guard (accounts migration 0007) lets a session through that asks for it.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c wenming.audit_truncate=on"

# Never the checkout's collected static files (`make bench` and `make run` collect them there): WhiteNoise
# scans STATIC_ROOT whenever a test client builds the middleware, which made the suite several times slower.
STATIC_ROOT = BASE_DIR / "test-artifacts" / "no-collected-static"

# Page numbers are read from the database on every request in tests (bulletins/kept_numbers.py):
# a test's transaction never commits, so PostgreSQL would never tell a listener of its changes.
PAGE_NUMBERS_KEPT = False

# No audit digests in the checkout: a digest left by one test would describe another test's
# rolled-back database. The tests of the digest point it at their own temporary directory.
AUDIT_DIGEST_DIR = ""
