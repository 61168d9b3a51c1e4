"""gunicorn for `make bench`: 2 sync workers (as in the peer figures of docs/benchmarks.md), loopback, no access log.

BENCH_WORKERS overrides the number of workers."""

import os

bind = "127.0.0.1:8190"
workers = int(os.environ.get("BENCH_WORKERS", "2"))
worker_class = "sync"
timeout = 60
accesslog = None
errorlog = "-"
loglevel = "warning"
raw_env = ["DJANGO_SETTINGS_MODULE=wenming.settings.bench"]
