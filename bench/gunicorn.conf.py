"""gunicorn for `make bench`: sync workers, 2 × cores + 1, loopback, no access log."""

import multiprocessing

bind = "127.0.0.1:8190"
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
timeout = 60
accesslog = None
errorlog = "-"
loglevel = "warning"
raw_env = ["DJANGO_SETTINGS_MODULE=wenming.settings.bench"]
