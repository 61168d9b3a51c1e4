"""`make bench`: load-test the public site on a 100 000-entry archive and write docs/benchmarks.md.

Steps: make sure the PostgreSQL database exists, migrate, generate the archive if it is
smaller than BENCH_ENTRIES, collectstatic; then run gunicorn (bench/gunicorn.conf.py) twice
on 127.0.0.1:8190 -- first with every cache off (BENCH_CACHE=dummy), then with the configured
cache -- and measure each page with wrk: throughput with 2 threads × 20 connections, and
latency with one connection (the time one request takes, which the targets are about).
Finally a search micro-benchmark at the ORM level. Everything stops by itself.
"""

import datetime
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/wenming_bench"
PORT = 8190
BASE_URL = f"http://127.0.0.1:{PORT}"
BENCH_ENTRIES = int(os.environ.get("BENCH_ENTRIES", "100000"))
ENTRIES_PER_ISSUE = 25
DURATION = os.environ.get("BENCH_DURATION", "10s")
LATENCY_DURATION = os.environ.get("BENCH_LATENCY_DURATION", "5s")
SEARCH_WORD = "植树"
STATIC_NAME = "bench/detail-size.html"
TYPICAL_QUERIES = [
    "创文", "植树", "志愿服务", "文明 志愿", "陶斌", "垃圾分类", "攀枝花", "问题整改", "市残联 体检",
    "湘潭", "交通秩序", "创文 入户", "背街小巷", "文明城市", "环境卫生", "高鹏凌 植树", "宣讲", "包保",
    "公益广告", "市容",
]
MICRO_RUNS = 200

sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "wenming.settings.bench"
os.environ.setdefault("DATABASE_URL", DEFAULT_DATABASE_URL)


def say(message):
    print(f"[bench] {message}", flush=True)


def ensure_database(url):
    import psycopg2
    from psycopg2 import sql

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cursor.fetchone():
            say(f"创建数据库 {name}")
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    admin.close()


def prepare_archive():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bulletins.models import Entry

    call_command("migrate", interactive=False, verbosity=0)
    missing = BENCH_ENTRIES - Entry.objects.count()
    if missing > 0:
        issues = -(-missing // ENTRIES_PER_ISSUE)
        say(f"生成 {issues} 期、约 {missing} 条条目")
        call_command("generate_corpus", issues=issues, entries_per_issue=ENTRIES_PER_ISSUE, seed=2023)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    say(f"档案共 {Entry.objects.count()} 条条目")
    call_command("collectstatic", interactive=False, verbosity=0)


def targets():
    from bulletins.models import Issue

    issue = Issue.objects.published().newest_first().first()
    return {
        "detail": issue.get_absolute_url(),
        "list": "/issues/",
        "search": "/search/?" + urllib.parse.urlencode({"q": SEARCH_WORD}),
        "static": "/static/" + STATIC_NAME,
    }


class Gunicorn:
    def __init__(self, *, cache):
        self.cache = cache
        self.process = None

    def __enter__(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wenming.settings.bench"}
        if self.cache in ("dummy", "pages-off"):
            env["BENCH_CACHE"] = self.cache
        else:
            env.pop("BENCH_CACHE", None)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-c", str(ROOT / "bench" / "gunicorn.conf.py"), "wenming.wsgi:application"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn 启动失败，请查看上面的错误信息。")
            try:
                with urllib.request.urlopen(BASE_URL + "/", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn 30 秒内没有响应。")

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _milliseconds(value):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * UNITS[unit]


def wrk(path, *, threads, connections, duration):
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}", "--latency", BASE_URL + path],
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "errors": int(errors.group(1)) if errors else 0,
    }


def measure(path):
    # One connection first: after a 20-connection run gunicorn is still draining its backlog.
    single = wrk(path, threads=1, connections=1, duration=LATENCY_DURATION)
    load = wrk(path, threads=2, connections=20, duration=DURATION)
    time.sleep(2)
    say(f"{path}: {load['rps']:.0f} 次/秒，单连接中位 {single['p50']:.2f} ms")
    return {"load": load, "single": single}


def warm(path, *, requests=50):
    """Each gunicorn worker has its own local-memory cache: fill them all before measuring."""
    for _ in range(requests):
        with urllib.request.urlopen(BASE_URL + path) as response:
            response.read()


def write_static_copy(path):
    """A static file exactly as large as the detail page, for the ceiling."""
    from django.conf import settings

    with urllib.request.urlopen(BASE_URL + path) as response:
        body = response.read()
    target = Path(settings.STATIC_ROOT) / STATIC_NAME
    target.parent.mkdir(parents=True, exist_ok=True)
    filler = b"<!-- static ceiling -->\n"
    target.write_bytes((filler * (len(body) // len(filler) + 1))[: len(body)])
    return len(body)


def search_micro_benchmark():
    from django.core.paginator import Paginator

    from bulletins.search import highlight, parse_query, search, snippet

    def once(text):
        query = parse_query(text)
        page = Paginator(search(query), 20).get_page(1)
        for entry in page:
            snippet(entry, query.terms), highlight(entry.issue.title, query.terms)

    for text in TYPICAL_QUERIES:  # warm-up
        once(text)
    timings = []
    for n in range(MICRO_RUNS):
        started = time.perf_counter()
        once(TYPICAL_QUERIES[n % len(TYPICAL_QUERIES)])
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return {"median": statistics.median(timings), "p95": timings[int(len(timings) * 0.95) - 1], "runs": MICRO_RUNS}


def machine():
    from django import get_version
    from django.db import connection

    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    memory_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()[1:2]
    return {
        "cpu": f"{cpu}, {os.cpu_count()} cores",
        "memory": f"{memory_kb / 1024 / 1024:.1f} GiB",
        "software": f"Python {platform.python_version()}, Django {get_version()}, PostgreSQL {postgres}, "
        f"gunicorn (sync, {os.cpu_count() * 2 + 1} workers), wrk {' '.join(wrk_version)}",
        "load": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def verdict(ok):
    return "✅ met" if ok else "❌ not met"


def write_report(results, micro, page_size, info, started):
    rows = [
        ("Issue detail, uncached", "detail_uncached", "< 20 ms median (one connection)"),
        ("Issue detail, every cache off", "detail_no_cache", ""),
        ("Issue detail, cached", "detail_cached", "≥ ½ of the static rate"),
        ("Issue list", "list", ""),
        (f"Search `{SEARCH_WORD}`", "search", "< 50 ms median (one connection)"),
        (f"Static file of {page_size:,} bytes", "static", "ceiling"),
    ]
    ratio = results["detail_cached"]["load"]["rps"] / results["static"]["load"]["rps"]
    uncached_ok = results["detail_uncached"]["single"]["p50"] < 20
    search_ok = results["search"]["single"]["p50"] < 50 and micro["median"] < 50
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`bench/run.py`); re-run it to refresh this page. The archive is",
        f"{BENCH_ENTRIES:,} generated entries (`generate_corpus`, {ENTRIES_PER_ISSUE} per issue) in PostgreSQL; gunicorn",
        "runs `wenming.settings.bench` (DEBUG off, whitenoise manifest storage) on 127.0.0.1:8190 and",
        f"wrk runs on the same machine: throughput with 2 threads × 20 connections for {DURATION},",
        f"latency with 1 connection for {LATENCY_DURATION} (the time a single request takes).",
        "\"Uncached\" renders every page afresh from the database (`PUBLIC_PAGE_CACHE = False`) while the small",
        "lookups that production keeps cached (site settings, section list, next scheduled time) stay cached;",
        "\"every cache off\" uses the dummy cache backend for everything; \"cached\" uses the configured cache",
        "(local memory in each gunicorn worker, each one warmed with 50 requests before measuring; a hit is",
        "served by `PublicPageCacheMiddleware` with one cache read, no session and no database query).",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC",
        f"- Machine: {info['cpu']}, {info['memory']} RAM",
        f"- Software: {info['software']}",
        f"- Load average when the run started: {info['load']} (other work on the machine skews the figures)",
        "",
        "| Page | Requests/s (20 conn.) | Median (20 conn.) | p99 (20 conn.) | Median (1 conn.) | p99 (1 conn.) | Errors | Target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, key, target in rows:
        load, single = results[key]["load"], results[key]["single"]
        lines.append(
            f"| {label} | {load['rps']:,.0f} | {load['p50']:.2f} ms | {load['p99']:.2f} ms | "
            f"{single['p50']:.2f} ms | {single['p99']:.2f} ms | {load['errors'] + single['errors']} | {target} |"
        )
    lines += [
        "",
        "## Against the targets",
        "",
        "| Target | Measured | |",
        "| --- | --- | --- |",
        f"| Cached detail ≥ ½ of the static-file rate | {ratio:.2f} × static "
        f"({results['detail_cached']['load']['rps']:,.0f} ÷ {results['static']['load']['rps']:,.0f} req/s) | {verdict(ratio >= 0.5)} |",
        f"| Uncached detail < 20 ms median | {results['detail_uncached']['single']['p50']:.2f} ms | {verdict(uncached_ok)} |",
        f"| Search < 50 ms median | page {results['search']['single']['p50']:.2f} ms, "
        f"ORM {micro['median']:.2f} ms | {verdict(search_ok)} |",
        "",
        "Also: uncached detail ÷ static = "
        f"{results['detail_uncached']['load']['rps'] / results['static']['load']['rps']:.2f}.",
        "",
        "## Search micro-benchmark",
        "",
        f"`bulletins.search.search()` plus reading the first page of 20 with snippets, in-process, over {micro['runs']}",
        f"queries cycling through {len(TYPICAL_QUERIES)} typical ones ({', '.join(TYPICAL_QUERIES)}):",
        f"median **{micro['median']:.2f} ms**, p95 {micro['p95']:.2f} ms.",
        "",
    ]
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(lines), encoding="utf-8")
    say("已写入 docs/benchmarks.md")


def main():
    if not shutil.which("wrk"):
        say("没有找到 wrk，尝试用 apt-get 安装")
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True)
    started = datetime.datetime.now(datetime.UTC)
    ensure_database(os.environ["DATABASE_URL"])
    prepare_archive()
    info = machine()
    paths = targets()
    results = {}
    say("第一轮：不缓存页面")
    with Gunicorn(cache="pages-off"):
        page_size = write_static_copy(paths["detail"])
        warm(paths["detail"])
        results["detail_uncached"] = measure(paths["detail"])
        results["list"] = measure(paths["list"])
        results["search"] = measure(paths["search"])
    say("第二轮：关闭全部缓存")
    with Gunicorn(cache="dummy"):
        results["detail_no_cache"] = measure(paths["detail"])
    say("第三轮：启用缓存")
    with Gunicorn(cache="configured"):
        warm(paths["detail"])
        results["detail_cached"] = measure(paths["detail"])
        results["static"] = measure(paths["static"])
    say("检索微基准")
    micro = search_micro_benchmark()
    say(f"检索中位 {micro['median']:.2f} ms，p95 {micro['p95']:.2f} ms")
    write_report(results, micro, page_size, info, started)


if __name__ == "__main__":
    main()
