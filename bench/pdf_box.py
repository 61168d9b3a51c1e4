"""The render box's cost and hold (bulletins/render_box.py); writes its part of docs/benchmarks-pdf.md.

    .venv/bin/python bench/pdf_box.py

Each case runs in its own process, set up like bench/pdf.py (test settings, in-memory SQLite):
- "inprocess" and "boxed": the sample issue's PDF, RUNS times after one warm-up, rendered in the
  process itself (the render box's `run` replaced by a direct call: the code before the box) or
  in the box; then that process's resident memory, i.e. the worker's after renders.
- "hostile": the attacker's inputs under the box's own limits: the table of
  `<td colspan="1000" rowspan="65534">` × 1100, and one entry of 50,000 characters made of one-character
  paragraphs (about 285 pages: refused by the page cap after its layout).
The CPU time and peak memory of a boxed render are the child's own, as it reports them.
"""

import datetime
import gc
import importlib
import json
import logging
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from pdf import ROOT, _issue, _setup  # noqa: E402 - bench/pdf.py, beside this file

RUNS = int(os.environ.get("BENCH_PDF_RUNS", "5"))
HOSTILE_TABLE = "<table><tr>" + '<td colspan="1000" rowspan="65534">x</td>' * 1100 + "</tr></table>"
MARK = "## 渲染盒"


class _Usage(logging.Handler):
    """The child's CPU time and peak memory, from render_box's log line."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.records = []

    def emit(self, record):
        self.records.append(record.args)


def _resident_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0


def _render(issue, html, **kwargs):
    from bulletins import pdf, render_box

    start, start_cpu = time.perf_counter(), time.process_time()
    try:
        data, outcome = pdf.render_pdf(issue, print_html=html, **kwargs), "PDF"
    except render_box.Refused as refusal:
        data, outcome = b"", refusal.message
    return data, outcome, time.perf_counter() - start, time.process_time() - start_cpu


def run_case(name):
    _setup()
    from bulletins import render_box
    from bulletins.articles import article_from_live, render_article

    usage = _Usage()
    logging.getLogger("bulletins.render_box").addHandler(usage)
    logging.getLogger("bulletins.render_box").setLevel(logging.INFO)
    if name == "inprocess":
        def direct(function, *args):  # as bulletins/pdf.py rendered before the box, with its gc.collect()
            module, attribute = function.rsplit(".", 1)
            try:
                return getattr(importlib.import_module(module), attribute)(*args)
            finally:
                gc.collect()

        render_box.run = direct
    result = {"rss_before_mb": _resident_mb()}
    if name in ("inprocess", "boxed"):
        issue = _issue(1, 0)
        html = render_article(article_from_live(issue)).print_html
        _render(issue, html)  # warm-up: templates, the forkserver
        times, cpu, worker_cpu = [], [], []
        for _ in range(RUNS):
            data, outcome, seconds, parent_cpu = _render(issue, html)
            times.append(seconds)
            worker_cpu.append(parent_cpu)
            cpu.append(parent_cpu + (usage.records[-1][2] if name == "boxed" else 0))
        result.update(median=statistics.median(times), worst=max(times), cpu=statistics.median(cpu),
                      worker_cpu=statistics.median(worker_cpu),
                      bytes=len(data), child_peak_mb=usage.records[-1][3] if usage.records else None)
    else:
        from bulletins.models import Issue

        issue = Issue.objects.create(year=2026, number=99, title="测试")
        for label, html in (("table", HOSTILE_TABLE), ("long_entry", "<p>近</p>" * 6250)):
            usage.records.clear()
            data, outcome, seconds, _ = _render(issue, html, preview=True)
            child = usage.records[-1] if usage.records else (None, None, None, None)
            result[label] = {"outcome": outcome, "seconds": seconds, "cpu": child[2], "peak_mb": child[3],
                             "chars": len(html)}
    result["rss_after_mb"] = _resident_mb()
    result["load"] = os.getloadavg()[0]
    print(json.dumps(result, ensure_ascii=False))


def _case(name):
    output = subprocess.run([sys.executable, __file__, name], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main():
    sys.path.insert(0, str(ROOT))
    from bulletins import pdf_writer, render_box

    inprocess, boxed, hostile = _case("inprocess"), _case("boxed"), _case("hostile")
    print(inprocess, boxed, hostile, sep="\n")
    lines = [
        MARK,
        "",
        (f"`bench/pdf_box.py`，测量时间：{datetime.datetime.now():%Y-%m-%d %H:%M}；{platform.machine()}，{os.cpu_count()} 核"
         f"（与其他进程共用，测量时 1 分钟平均负载 {boxed['load']:.1f}；负载高于核数时墙钟时间偏长，以 CPU 时间为准）。"),
        "",
        (f"限制（`bulletins/render_box.py`、`bulletins/pdf_writer.py`）：CPU 时间 {render_box.CPU_SECONDS} s，"
         f"地址空间 {render_box.MEMORY_BYTES >> 20} MB，墙钟 {render_box.WALL_SECONDS} s，"
         f"每台主机同时 {render_box.SLOTS} 个渲染，最多 {pdf_writer.MAX_PAGES} 页。"),
        "",
        "### 样刊：进程内渲染与渲染盒",
        "",
        f"预热一次后各渲染 {RUNS} 次；渲染盒的 CPU 时间是子进程自报的加上工作进程自己的（读模板、图片、收发管道）。",
        "",
        "| 方式 | 中位数 | 最慢 | CPU 时间（中位数） | 工作进程常驻内存：渲染前 → 渲染后 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, r in (("进程内（改动前）", inprocess), ("渲染盒（forkserver 子进程）", boxed)):
        lines.append(f"| {label} | {r['median']:.2f} s | {r['worst']:.2f} s | {r['cpu']:.2f} s | "
                     f"{r['rss_before_mb']:.0f} MB → {r['rss_after_mb']:.0f} MB |")
    lines += [
        "",
        (f"渲染盒子进程的峰值常驻内存：{boxed['child_peak_mb']} MB（含从 forkserver 继承的 WeasyPrint 与字体）。"
         "工作进程自己不再加载 WeasyPrint：它的内存不随渲染增长。每个 gunicorn 工作进程在第一次渲染时启动自己的 forkserver"
         "（预载 WeasyPrint、python-docx，并做一次小渲染预热字体；启动约 1.7 s CPU，之后常驻约 79 MB RSS、64 MB PSS）和 "
         "multiprocessing 的资源跟踪进程；工作进程退出时二者随之退出。"),
        "",
        "### 恶意输入",
        "",
        "| 输入 | 大小 | 结果 | 墙钟时间 | 子进程 CPU 时间 | 子进程峰值内存 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    hostile_labels = (("table", "表格 colspan=1000 rowspan=65534 × 1100"),
                      ("long_entry", "一条 50,000 字符的条目（6250 个单字段落，约 285 页）"))
    for key, label in hostile_labels:
        r = hostile[key]
        cpu = f"{r['cpu']:.1f} s" if r["cpu"] is not None else "（被内核终止）"
        peak = f"{r['peak_mb']} MB" if r["peak_mb"] is not None else "—"
        lines.append(
            f"| {label} | {r['chars'] / 1024:.0f} KB | {r['outcome']} | {r['seconds']:.1f} s | {cpu} | {peak} |"
        )
    lines.append("")
    path = ROOT / "docs" / "benchmarks-pdf.md"
    text = path.read_text(encoding="utf-8")
    text = text[: text.index(MARK)].rstrip() + "\n" if MARK in text else text.rstrip() + "\n"
    path.write_text(text + "\n" + "\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run_case(sys.argv[1])
    else:
        main()
