"""The editors' side in Chromium: the issue change page with 13 entries, and the server time of
save and publish; writes docs/benchmarks-editor.md.

    make bench-editor            (.venv/bin/python bench/editor.py)

Database: DATABASE_URL (PostgreSQL; that database is dropped and recreated) or, unset, a fresh
SQLite file in a temporary directory. Data: the sample bulletin (12 entries) plus one entry, 13
entries per issue, imported and taken through the workflow functions (a draft for the editor,
issues awaiting sign-off for the signer). Server: gunicorn with wenming.settings.bench (DEBUG
off, manifest static files served by WhiteNoise), 2 workers × 4 threads on a free loopback port;
this module's `application` wraps Django's and logs the time of each request. The server runs
twice: lazy editors (today) and LAZY_ENTRY_EDITORS=0, every editor started on load (before).
Browser: Debian's Chromium through Playwright, 1280 × 900, one new context per run.

Definitions (written into the note):
- interactive: from navigation start until the load event has ended, every editor started so
  far is ready (CKEditor instanceReady) and the main thread has finished its last long task
  (> 50 ms, PerformanceObserver "longtask") before a quiet second; the latest of the three.
  A simplified Lighthouse TTI: a 1 s quiet window instead of 5 s, network quiet not required.
- server time: the wall time of Django's WSGI call for that request, in the gunicorn worker.
"""

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = int(os.environ.get("BENCH_EDITOR_RUNS", "5"))
ENTRIES = 13
QUIET_MS = 1000
TARGET_S = 1.0
MODES = {"eager": "0", "lazy": "1"}  # LAZY_ENTRY_EDITORS
SAMPLE = ROOT / "bulletins" / "fixtures" / "bulletin-2023-13.txt"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]

_django = None


def application(environ, start_response):
    """Django's WSGI application, timed: one JSON line per non-static request to BENCH_TIMING_LOG."""
    global _django
    if _django is None:
        from django.core.wsgi import get_wsgi_application

        _django = get_wsgi_application()
    start = time.perf_counter()
    response = _django(environ, start_response)
    elapsed = time.perf_counter() - start
    path = environ.get("PATH_INFO", "")
    if not path.startswith("/static/"):
        line = json.dumps({"method": environ["REQUEST_METHOD"], "path": path, "ms": elapsed * 1000})
        with open(os.environ["BENCH_TIMING_LOG"], "a", encoding="utf-8") as log:
            log.write(line + "\n")
    return response


# Setting up: database, static files, data ---------------------------------------------------

def say(message):
    print(message, file=sys.stderr, flush=True)


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def prepare():
    """In a child process with the bench settings: users, issues and sessions, printed as JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    from bulletins import workflow
    from bulletins.importer import parse_text
    from bulletins.importer.writer import import_issue
    from bulletins.models import Entry
    from bulletins.sample_registry import load_sample_registry
    from tests.factories import make_staff

    load_sample_registry()
    people = {role: make_staff(role, username=username, real_name=name)
              for role, username, name in [("编辑", "editor", "张编辑"), ("审核", "reviewer", "李审核"),
                                           ("签发", "signer", "王签发")]}
    numbers = iter(range(1, 100))

    def issue():
        parsed = parse_text(SAMPLE.read_text(encoding="utf-8"))
        parsed.year, parsed.number = 2026, next(numbers)
        parsed.title = f"2026年文明城市创建(第{parsed.number}期)"
        made = import_issue(parsed, user=people["编辑"])
        last = made.entries.order_by("section__order", "order").last()
        Entry.objects.create(issue=made, section=last.section, order=last.order + 1, date_text="近日",
                             body="<p>近日，市文明办组织志愿者清理城区小广告，共清理300余处。</p>")
        assert made.entries.count() == ENTRIES
        return made

    def session(user):
        client = Client()
        client.force_login(user)
        return client.cookies["sessionid"].value

    signoff = {}
    for mode in MODES:
        signoff[mode] = []
        for _ in range(RUNS):
            ready = issue()
            workflow.submit(ready, by=people["编辑"])
            workflow.pass_review(ready, by=people["审核"])
            signoff[mode].append(ready.pk)
    print(json.dumps({"draft": {mode: issue().pk for mode in MODES}, "signoff": signoff,
                      "editor": session(people["编辑"]), "signer": session(people["签发"])}))


# The server --------------------------------------------------------------------------------

class Server:
    def __init__(self, env, lazy):
        from tests.servers import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = Path(tempfile.mkdtemp(prefix="bench-editor-")) / "timing.jsonl"
        self.env = {**env, "LAZY_ENTRY_EDITORS": lazy, "BENCH_TIMING_LOG": str(self.log),
                    "GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_WORKERS": "2",
                    "GUNICORN_THREADS": "4", "LOG_LEVEL": "WARNING"}

    def __enter__(self):
        from tests.servers import port_open, wait_for

        self.process = subprocess.Popen(
            [str(ROOT / ".venv/bin/gunicorn"), "-c", "gunicorn.conf.py",
             "--env", "DJANGO_SETTINGS_MODULE=wenming.settings.bench", "--access-logfile", "/dev/null",
             "--pythonpath", f"{ROOT / 'bench'},{ROOT}", "editor:application"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
        )
        wait_for(lambda: port_open(self.port), timeout=60, what=f"gunicorn :{self.port}")
        return self

    def __exit__(self, *exc):
        from tests.servers import stop_process

        stop_process(self.process)

    def server_ms(self, method, path):
        """Server time of the last request `method path` (the log is written when it ends)."""
        for _ in range(50):
            lines = self.log.read_text(encoding="utf-8").splitlines() if self.log.exists() else []
            for line in reversed(lines):
                record = json.loads(line)
                if record["method"] == method and record["path"] == path:
                    return record["ms"]
            time.sleep(0.1)
        raise RuntimeError(f"no {method} {path} in the timing log")


# In the browser ----------------------------------------------------------------------------

# Long tasks and editors' ready times, recorded from the first script on.
PROBE = """
window.__bench = {longTasks: [], ready: []};
new PerformanceObserver((list) => {
  for (const task of list.getEntries()) __bench.longTasks.push([task.startTime, task.startTime + task.duration]);
}).observe({type: "longtask", buffered: true});
let editorGlobal;
Object.defineProperty(window, "CKEDITOR", {
  configurable: true,
  get() { return editorGlobal },
  set(value) {
    editorGlobal = value;
    queueMicrotask(() => value.on("instanceReady", () => __bench.ready.push(performance.now())));
  },
});
"""

STATE = """() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const editors = window.CKEDITOR ? Object.values(CKEDITOR.instances) : [];
  return {now: performance.now(), dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          editors: editors.length, allReady: editors.every((e) => e.status === "ready"),
          ready: __bench.ready, longTasks: __bench.longTasks};
}"""


def settle(page, timeout=60.0):
    """Wait until loaded, every started editor ready and a quiet second; return the page's timings (ms)."""
    deadline = time.monotonic() + timeout
    while True:
        state = page.evaluate(STATE)
        busy_until = max([state["load"], *state["ready"], *(end for _, end in state["longTasks"])])
        if state["load"] > 0 and state["allReady"] and state["now"] - busy_until >= QUIET_MS:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"the page did not settle: {state}")
        page.wait_for_timeout(100)
    blocking = sum(max(0.0, end - start - 50) for start, end in state["longTasks"])
    return {"interactive": busy_until, "dcl": state["dcl"], "load": state["load"], "editors": state["editors"],
            "blocking": blocking}


def new_context(browser, server, session):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": session, "url": server.url}])
    context.add_init_script(PROBE)
    return context


def body_of(page, index):
    return page.locator(f"#id_entries-{index}-body").locator("xpath=..")


def wait_ready(page, index, timeout=30.0):
    name = f"id_entries-{index}-body"
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"!!(window.CKEDITOR && CKEDITOR.instances[{name!r}] && "
                            f"CKEDITOR.instances[{name!r}].status === 'ready')"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"editor {name} did not start")
        page.wait_for_timeout(20)


def open_page(browser, server, session, path, *, warm):
    context = new_context(browser, server, session)
    page = context.new_page()
    if warm:
        page.goto(server.url + path, wait_until="load")
        settle(page)
    page.goto(server.url + path, wait_until="load")
    timings = settle(page)
    timings["server"] = server.server_ms("GET", path)
    return context, page, timings


def warm_up(browser, server, session, path):
    """First requests of each worker import and compile what they need; not measured."""
    context = new_context(browser, server, session)
    page = context.new_page()
    for _ in range(4):
        page.goto(server.url + path, wait_until="load")
    context.close()


def measure_loads(browser, server, session, path):
    warm_up(browser, server, session, path)
    results = {"cold": [], "warm": [], "start_one": []}
    for cache in ("cold", "warm"):
        for _ in range(RUNS):
            context, page, timings = open_page(browser, server, session, path, warm=cache == "warm")
            results[cache].append(timings)
            if cache == "warm":
                results["start_one"].append(start_one(page))
            context.close()
    return results


def start_one(page, index=7):
    """Focus a body further down; ms until its editor is ready (0 when it had started already)."""
    if page.evaluate(f"!!(window.CKEDITOR && CKEDITOR.instances['id_entries-{index}-body'])"):
        return 0.0
    before = len(page.evaluate("__bench.ready"))
    focused_at = page.evaluate(f"""() => {{
        const at = performance.now();
        document.getElementById('id_entries-{index}-body').closest('.lazy-editor')
            .querySelector('.lazy-editor-preview').focus();
        return at;
    }}""")
    wait_ready(page, index)
    while len(page.evaluate("__bench.ready")) <= before:
        page.wait_for_timeout(10)
    return page.evaluate("__bench.ready")[before] - focused_at


def measure_saves(browser, server, session, path):
    times = []
    for run in range(RUNS):
        context = new_context(browser, server, session)
        page = context.new_page()
        page.goto(server.url + path, wait_until="load")
        settle(page)
        body_of(page, 6).scroll_into_view_if_needed()
        wait_ready(page, 6)
        page.frame_locator("#cke_id_entries-6-body iframe").locator("body").click()
        page.keyboard.press("Control+End")
        page.keyboard.type(f"（第{run + 1}次修改）")
        page.get_by_role("button", name="保存并继续编辑").click()
        page.locator(".messagelist .success").first.wait_for()
        times.append(server.server_ms("POST", path))
        context.close()
    return times


def measure_publishes(browser, server, session, issue_ids):
    times = []
    for pk in issue_ids:
        context = new_context(browser, server, session)
        page = context.new_page()
        page.goto(f"{server.url}/admin/bulletins/issue/{pk}/change/", wait_until="load")
        settle(page)
        page.get_by_label("立即发布").check()
        page.locator("#workflow").get_by_role("button", name="签发发布").click()
        page.locator(".workflow-status").get_by_text("已发布").wait_for()
        times.append(server.server_ms("POST", f"/admin/bulletins/issue/{pk}/transition/publish/"))
        context.close()
    return times


# The note ----------------------------------------------------------------------------------

def median(values):
    return statistics.median(values)


def seconds(ms):
    return f"{ms / 1000:.2f} s"


def write_note(results, data, database, loads):
    lazy, eager = results["lazy"], results["eager"]
    lines = [
        "# 编辑端基准：13 条条目的期刊修改页（`bench/editor.py`）",
        "",
        (f"测量时间：{datetime.datetime.now():%Y-%m-%d %H:%M}；机器：{platform.machine()}，{os.cpu_count()} 核"
         f"（与其他进程共用）；测量前后 1 分钟平均负载 {loads[0]:.2f} / {loads[1]:.2f}；数据库：{database}；"
         "服务器：gunicorn（`wenming.settings.bench`，DEBUG 关闭，2 个进程 × 4 个线程，本机回环地址）；"
         "浏览器：Debian Chromium（Playwright 驱动，窗口 1280 × 900）。每项 "
         f"{RUNS} 次，取中位数（括号内为最快～最慢）。"),
        "",
        "“逐个启动”是现在的做法：每条正文先显示为预览，聚焦、点击或滚动到可见时才启动它的 CKEditor，一次启动一个；"
        "“全部启动”是原来的做法（`LAZY_ENTRY_EDITORS=0`）：页面载入时 13 个编辑器同时启动。",
        "",
        "## 定义",
        "",
        "- **可交互时间**：从导航开始，到以下三者都成立的最晚时刻：load 事件结束；已启动的编辑器全部就绪"
        "（CKEditor `instanceReady`）；主线程最后一个长任务（超过 50 ms，`PerformanceObserver` 的 longtask）结束，"
        "且其后 1 秒内没有新的长任务。相当于简化的 Lighthouse TTI（安静窗口 1 秒而非 5 秒，不要求网络安静）。",
        "- **阻塞时间合计**：载入过程中每个长任务超过 50 ms 的部分之和（类似 Total Blocking Time），"
        "这段时间里点击和输入要排队等待。",
        "- **首次访问 / 再次访问**：新的浏览器上下文（无缓存）直接打开；同一上下文先打开一次再测第二次（有缓存，"
        "编辑日常反复打开期刊时的情形）。",
        "- **服务器时间**：gunicorn 进程内 Django 处理这个请求（WSGI 调用）的墙钟时间，不含网络和浏览器。"
        "保存：在第 7 条正文里输入一句后点“保存并继续编辑”的 POST；发布：签发人选“立即发布”后点“签发发布”的 POST。",
        "",
        "## 页面载入",
        "",
        "| 指标 | 全部启动（原来） | 逐个启动（现在） | 目标 |",
        "| --- | ---: | ---: | ---: |",
    ]

    def row(label, mode_values, target=""):
        cells = []
        for values in mode_values:
            cells.append(f"{seconds(median(values))}（{seconds(min(values))}～{seconds(max(values))}）")
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | {target} |")

    for cache, label in (("cold", "首次访问"), ("warm", "再次访问")):
        row(f"可交互时间，{label}", [[t["interactive"] for t in r["loads"][cache]] for r in (eager, lazy)],
            f"≤ {TARGET_S:.0f} s")
        row(f"load 事件结束，{label}", [[t["load"] for t in r["loads"][cache]] for r in (eager, lazy)])
        row(f"阻塞时间合计，{label}", [[t["blocking"] for t in r["loads"][cache]] for r in (eager, lazy)])
    editors = [round(median([t["editors"] for t in r["loads"]["warm"]])) for r in (eager, lazy)]
    lines.append(f"| 载入后已启动的编辑器 | {editors[0]} 个 | {editors[1]} 个 | |")
    row("修改页的服务器时间（GET）", [[t["server"] for c in ("cold", "warm") for t in r["loads"][c]] for r in (eager, lazy)])
    started = [value for value in lazy["loads"]["start_one"] if value > 0]
    if started:
        lines.append(f"| 聚焦下方一条正文到其编辑器就绪 | — | {seconds(median(started))}"
                     f"（{seconds(min(started))}～{seconds(max(started))}） | |")
    lines += [
        "",
        "## 保存与发布（服务器时间）",
        "",
        "| 操作 | 全部启动（原来） | 逐个启动（现在） | 目标 |",
        "| --- | ---: | ---: | ---: |",
    ]
    row("保存（改一条正文）", [r["save"] for r in (eager, lazy)], f"≤ {TARGET_S:.0f} s")
    row("签发发布", [r["publish"] for r in (eager, lazy)], f"≤ {TARGET_S:.0f} s")
    lines += [
        "",
        "原来保存时 13 个编辑器都把各自的正文重新排版后提交，未改动的条目也被当作修改保存；现在未改动的正文按原样提交，"
        "服务器不再保存它们（`tests/test_editors.py`）。",
        "",
        "## 结论",
        "",
    ]
    verdict = lambda value: "达到" if value <= TARGET_S * 1000 else "未达到"  # noqa: E731
    warm = median([t["interactive"] for t in lazy["loads"]["warm"]])
    cold = median([t["interactive"] for t in lazy["loads"]["cold"]])
    server = median([t["server"] for c in ("cold", "warm") for t in lazy["loads"][c]])
    lines += [
        (f"- 可交互时间（逐个启动）：再次访问 {seconds(warm)}，{verdict(warm)} ≤ {TARGET_S:.0f} s 的目标；首次访问 "
         f"{seconds(cold)}，{verdict(cold)}。原来的做法分别为 "
         f"{seconds(median([t['interactive'] for t in eager['loads']['warm']]))} 和 "
         f"{seconds(median([t['interactive'] for t in eager['loads']['cold']]))}。"),
        (f"- 其中服务器生成修改页占 {seconds(server)}（Django 后台渲染 13 条条目的内联表单）；"
         "编辑器和“单位”选择框的 select2 都不再在载入时启动后，载入后剩下的主线程工作主要是 Django 后台的"
         "内联表单初始化以及大页面的排版。"),
        (f"- 保存 {seconds(median(lazy['save']))}、签发发布 {seconds(median(lazy['publish']))}（服务器时间），"
         f"{verdict(max(median(lazy['save']), median(lazy['publish'])))} ≤ {TARGET_S:.0f} s 的目标。"),
        (f"- 本机 2 核由多个进程共用，测量时 1 分钟平均负载约 {max(loads):.1f}：负载高于核数时，服务器和浏览器的墙钟时间"
         "都按“负载 ÷ 核数”左右被拉长，两种做法在同一次运行中先后测量，彼此可以比较。"),
        "",
    ]
    (ROOT / "docs" / "benchmarks-editor.md").write_text("\n".join(lines), encoding="utf-8")


def main():
    from playwright.sync_api import sync_playwright

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "wenming.settings.bench"}
    if os.environ.get("DATABASE_URL"):
        from databases import fresh_database  # bench/, beside this script

        fresh_database(os.environ["DATABASE_URL"])
        database = "PostgreSQL"
    else:
        env["SQLITE_PATH"] = str(Path(tempfile.mkdtemp(prefix="bench-editor-")) / "db.sqlite3")
        database = "SQLite"
    say("migrate, collectstatic …")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    say("issues …")
    output = subprocess.run([sys.executable, __file__, "prepare"], cwd=ROOT, env=env, check=True,
                            capture_output=True, text=True).stdout
    data = json.loads(output.strip().splitlines()[-1])
    loads = [os.getloadavg()[0]]
    results = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for mode, lazy in MODES.items():
            with Server(env, lazy) as server:
                path = f"/admin/bulletins/issue/{data['draft'][mode]}/change/"
                say(f"{mode}: page loads …")
                result = {"loads": measure_loads(browser, server, data["editor"], path)}
                say(f"{mode}: saves …")
                result["save"] = measure_saves(browser, server, data["editor"], path)
                say(f"{mode}: publishes …")
                result["publish"] = measure_publishes(browser, server, data["signer"], data["signoff"][mode])
                results[mode] = result
                say(json.dumps({mode: {"interactive": [t["interactive"] for t in result["loads"]["warm"]],
                                       "save": result["save"], "publish": result["publish"]}}))
        browser.close()
    loads.append(os.getloadavg()[0])
    write_note(results, data, database, loads)
    say("docs/benchmarks-editor.md written")


if __name__ == "__main__":
    if sys.argv[1:] == ["prepare"]:
        prepare()
    else:
        sys.path.insert(0, str(ROOT))
        main()
