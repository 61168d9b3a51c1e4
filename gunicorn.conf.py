"""gunicorn settings for wenming: `gunicorn -c gunicorn.conf.py wenming.wsgi` behind nginx.

Every value can be overridden with an environment variable of the same upper-case name.
"""

import multiprocessing
import os

wsgi_app = "wenming.wsgi:application"
# nginx proxies to this address; keep it on the loopback interface (or a Unix socket).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8001")
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak cannot grow without bound -- rarely: a restart
# costs a second of Django start-up, so at 1000 requests it ran every few seconds at full load
# and cost 40 % of throughput. At 100 000 (about every 10 minutes per worker at 800 req/s over
# five workers), the jitter spreads the restarts so no two workers go at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", str(max_requests // 5)))
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# Only nginx on this host may set X-Forwarded-* headers that gunicorn itself honours.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
raw_env = ["DJANGO_SETTINGS_MODULE=wenming.settings.prod"]
