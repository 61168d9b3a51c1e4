"""Time and peak memory of rendering an issue's PDF; writes docs/benchmarks-pdf.md.

    .venv/bin/python bench/pdf.py

Each case runs in its own process (so its peak RSS is its own): Django with the test
settings on an in-memory SQLite database, pictures in a temporary MEDIA_ROOT. Cases: the
sample issue (12 entries) and a 60-entry issue with 10 photographs (1600 × 1200 JPEG).
One warm-up render, then RUNS renders; the median and the worst are reported. The page
cache is not involved: this is the cost of one uncached render.
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
RUNS = int(os.environ.get("BENCH_PDF_RUNS", "5"))
CASES = {
    "sample": {"label": "样刊（12条，无图）", "copies": 1, "pictures": 0, "target": 1.0},
    "large": {"label": "60条、10张图片", "copies": 5, "pictures": 10, "target": 5.0},
}
MEMORY_TARGET_MB = 300


def _setup():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings.test")
    os.environ.pop("DATABASE_URL", None)
    import django
    from django.conf import settings

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="bench-pdf-")
    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)


def _issue(copies, pictures):
    import io

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from PIL import Image

    from bulletins.importer import parse_text
    from bulletins.importer.writer import import_issue
    from bulletins.models import Issue

    text = (ROOT / "bulletins" / "fixtures" / "bulletin-2023-13.txt").read_text(encoding="utf-8")
    parsed = parse_text(text)
    for section in parsed.sections:
        section.entries = [entry for entry in section.entries for _ in range(copies)]
    issue = import_issue(parsed, status=Issue.Status.PUBLISHED)
    for index, entry in enumerate(issue.entries.order_by("id")[:pictures]):
        buffer = io.BytesIO()
        image = Image.radial_gradient("L").resize((1600, 1200)).convert("RGB")
        image.save(buffer, "JPEG", quality=85)
        name = default_storage.save(f"images/bench/{index}.jpg", ContentFile(buffer.getvalue()))
        entry.body += f'<p><img src="{default_storage.url(name)}" alt="示例图片{index + 1}"></p>'
        entry.save()
    return issue


def run_case(name):
    """In a child process: build the issue, render RUNS times, print JSON."""
    import resource

    _setup()
    from bulletins import pdf
    from bulletins.articles import article_from_live, render_article

    case = CASES[name]
    issue = _issue(case["copies"], case["pictures"])

    def render():  # the print sheet from the live rows, as a preview renders it, then the PDF
        return pdf.render_pdf(issue, print_html=render_article(article_from_live(issue)).print_html)

    import logging

    boxed = []  # (CPU seconds, peak MB) of each render's child, from bulletins/render_box.py's log line
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: boxed.append(record.args[2:4])
    logging.getLogger("bulletins.render_box").addHandler(handler)
    logging.getLogger("bulletins.render_box").setLevel(logging.INFO)
    data = render()  # warm-up: templates, and the render box's forkserver
    times, cpu = [], []
    for _ in range(RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        data = render()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu + boxed[-1][0])
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(data)).pages)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_peak_mb = max(peak for _, peak in boxed)  # the child reports MB
    print(json.dumps({"entries": issue.entries.count(), "pages": pages, "bytes": len(data),
                      "median": statistics.median(times), "worst": max(times), "cpu": statistics.median(cpu),
                      "peak_mb": peak_mb, "child_peak_mb": child_peak_mb, "load": os.getloadavg()[0]}))


def main():
    results = {}
    for name in CASES:
        output = subprocess.run([sys.executable, __file__, name], check=True, capture_output=True, text=True, cwd=ROOT)
        results[name] = json.loads(output.stdout.strip().splitlines()[-1])
        print(name, results[name])
    lines = [
        "# PDF 生成基准（`bench/pdf.py`）",
        "",
        (f"测量时间：{datetime.datetime.now():%Y-%m-%d %H:%M}；机器：{platform.machine()}，{os.cpu_count()} 核"
         f"（与其他进程共用）；Python {platform.python_version()}；WeasyPrint 见 `requirements.lock`。"),
        "",
        (f"每种情形在独立进程中先渲染一次预热（加载字体与模板），再渲染 {RUNS} 次，取中位数和最慢一次；"
         "PDF 在渲染盒（`bulletins/render_box.py`）的子进程中生成：CPU 时间是工作进程的加上子进程自报的，"
         "峰值内存一栏是工作进程的最大常驻内存（Django、数据库）+ 渲染子进程的（WeasyPrint，含与 forkserver 共享的页）。不经过页面缓存：这是一次未缓存请求的代价，"
         "已发布期刊的 PDF 之后从默认存储读取（每个签发快照只生成一次）。"),
        "",
        ("渲染是单线程的纯计算：空闲机器上一次渲染的耗时约等于它的 CPU 时间。本机由八个进程共用两个核，"
         "“测量时负载”一栏是当时的 1 分钟平均负载；负载远高于核数时，墙钟时间约为 CPU 时间乘以“负载 ÷ 核数”，"
         "所以目标按 CPU 时间判断。子进程渲染完即退出，嵌入的 CJK 字体（每个数十 MB）不会留在工作进程里。"),
        "",
        "| 情形 | 条目 | 页数 | PDF 大小 | 中位数 | 最慢 | CPU 时间（中位数） | 目标 | 峰值内存（工作进程 + 渲染子进程） | 测量时负载 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, case in CASES.items():
        r = results[name]
        lines.append(
            f"| {case['label']} | {r['entries']} | {r['pages']} | {r['bytes'] / 1024:.0f} KB | {r['median']:.2f} s | "
            f"{r['worst']:.2f} s | {r['cpu']:.2f} s | ≤ {case['target']:.0f} s | "
            f"{r['peak_mb']:.0f} MB + {r['child_peak_mb']:.0f} MB（目标各 < {MEMORY_TARGET_MB} MB） | "
            f"{r['load']:.1f} |"
        )
    lines.append("")
    path = ROOT / "docs" / "benchmarks-pdf.md"
    # The sections after the table (samples, the render box) are written by their own scripts.
    previous = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = previous[previous.index("\n## ") + 1:] if "\n## " in previous else ""
    path.write_text("\n".join(lines) + ("\n" + kept if kept else ""), encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run_case(sys.argv[1])
    else:
        main()
