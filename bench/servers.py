"""Throughput of one vs two app servers, cached and uncached, with wrk (docs/deploy.md §11).

Runs against the database `.ci/two_servers.py` leaves behind (or any migrated one with issue
2023 第13期 published): DATABASE_URL=postgres://postgres@127.0.0.1:5432/wenming_two_servers
.venv/bin/python bench/servers.py. Each server is gunicorn with the production settings, 2 sync
workers, one shared Redis; wrk runs 2 threads × 10 connections per server for 10 s.
"""

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.servers import RedisServer, free_port, port_open, stop_process, wait_for  # noqa: E402

PATH = "/issues/2023/13/"
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def start(env, port):
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py", "--env",
         "DJANGO_SETTINGS_MODULE=wenming.settings.two_servers", "--access-logfile", "/dev/null"],
        cwd=ROOT, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: port_open(port), timeout=60, what=f"gunicorn :{port}")
    wait_for(lambda: subprocess.run(["curl", "-sf", "-o", "/dev/null", f"http://127.0.0.1:{port}{PATH}"]).returncode == 0,
             timeout=60, what=f"{PATH} on :{port}")
    return process


def wrk(ports):
    runs = [subprocess.Popen(["wrk", "-t2", "-c10", f"-d{SECONDS}s", f"http://127.0.0.1:{port}{PATH}"],
                             stdout=subprocess.PIPE, text=True) for port in ports]
    total = 0.0
    for run in runs:
        output = run.communicate()[0]
        total += float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        if errors:
            raise SystemExit(f"wrk saw errors: {output}")
    return total


def main():
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wenming_two_servers")
    redis = RedisServer(Path(tempfile.mkdtemp(prefix="wenming-bench-")) / "redis").start()
    base = {
        **os.environ, "SECRET_KEY": "bench-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": redis.url, "SECURE_SSL_REDIRECT": "0", "SECURE_HSTS_SECONDS": "0",
        "GUNICORN_WORKERS": "2", "GUNICORN_THREADS": "1", "LOG_LEVEL": "WARNING",
    }
    rows = []
    try:
        for label, page_cache in (("cached", "1"), ("uncached", "0")):
            env = {**base, "PUBLIC_PAGE_CACHE": page_cache}
            ports = [free_port(), free_port()]
            processes = [start(env, port) for port in ports]
            try:
                for port in ports:
                    subprocess.run(["wrk", "-t1", "-c2", "-d2s", f"http://127.0.0.1:{port}{PATH}"], capture_output=True)
                one = wrk(ports[:1])
                two = wrk(ports)
            finally:
                for process in processes:
                    stop_process(process)
            rows.append((label, one, two))
    finally:
        redis.stop()
    load = open("/proc/loadavg").read().split()[:3]
    print(f"| Issue page {PATH} | 1 server (2 workers) | 2 servers (2 workers each) |")
    print("| --- | ---: | ---: |")
    for label, one, two in rows:
        print(f"| {label} | {one:,.0f} req/s | {two:,.0f} req/s |")
    print(f"\nCores: {os.cpu_count()}; load average before: {' '.join(load)}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")


if __name__ == "__main__":
    main()
