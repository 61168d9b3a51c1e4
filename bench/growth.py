"""Time and peak memory of the inputs that grow inside our pipeline: entry bodies and Word files.

Usage: .venv/bin/python bench/growth.py [CASE ...]   (prints a Markdown table for docs/benchmarks-sanitize.md)
Each case runs in a fresh process, as a worker would: it builds its input (kept out of the figures),
then records the CPU time (time.process_time) of `sanitize_html` or `extract_text` and the
process's peak resident memory (VmHWM, reset after building the input; it sees nh3's and lxml's
allocations, not only Python's) before and after. Run from an older checkout, the same cases give the "before" column.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenming.settings.dev")

MIB = 1024 * 1024


def worst_accepted_docx():
    """At every limit at once: 5,000 paragraphs of random characters (document.xml about 2 MiB,
    barely compressible) and an 8 MiB picture, in a file just under 10 MB, the admin importer's cap."""
    import random

    from tests import hostile_docx

    pick = random.Random(13)
    paragraph = "<w:p><w:r><w:t>{}</w:t></w:r></w:p>"
    body = "".join(paragraph.format("".join(chr(pick.randint(0x4E00, 0x9FA5)) for _ in range(125)))
                   for _ in range(5_000))
    return hostile_docx.with_linked_part("word/media/image1.bin", blob=os.urandom(8 * MIB), body=body)


def dense_docx():
    """All the XML just under 3 MiB: document.xml of empty paragraphs, a random one in ten to stay under the ratio."""
    import random

    from tests import hostile_docx

    pick = random.Random(13)
    unit = '<w:p/>' * 9 + '<w:p w:rsidR="{:08X}"/>'
    count = (3 * MIB - 820_000) // len(unit.format(0))
    return hostile_docx.with_body("".join(unit.format(pick.getrandbits(32)) for _ in range(count)))


def cases():
    from tests import hostile_docx

    fill = 50_000
    nested_b = "<b>" * 50 + "文明" + "</b>" * 50
    return {
        "body-link-title": ("正文：问题报告的未闭合 &lt;a title=1万字>，后接 4 996 段",
                            lambda: '<div><a href=x title="' + "文" * 10000 + '"></div>' + "<p>y</p>" * 4996),
        "body-b-class": ("正文：未闭合的 48 个 &lt;b class=N>，后接段落（2.1 MB 的变体）",
                         lambda: ("<div>" + "".join(f"<b class={n}>" for n in range(48)) + "</div>")
                         + "<p>y</p>" * ((fill - 620) // 8)),
        "body-dense": ("正文：&lt;b>&lt;/b> 紧挨着（上限内，标签最密）", lambda: "<b></b>" * (fill // 7)),
        "body-nested": ("正文：&lt;b> 嵌套 50 层，反复（上限内）", lambda: nested_b * (fill // len(nested_b))),
        "body-table": ("正文：表格 4 列（上限内）",
                       lambda: "<table><tbody>" + "<tr><td>单位</td><td>人数</td><td>时间</td><td>地点</td></tr>"
                       * ((fill - 40) // 53) + "</tbody></table>"),
        "docx-worst": ("Word：上限内最坏（5 000 段随机汉字，document.xml 约 2 MiB，8 MiB 图片，文件不到 10 MB）",
                       worst_accepted_docx),
        "docx-dense": ("Word：XML 合计约 3 MiB，document.xml 全是空段落（上限内最密的 XML，段落数超限）", dense_docx),
        "docx-bomb-2000": ("Word：问题报告的 2 000 MiB 零（image1.bin）", lambda: hostile_docx.with_linked_zeros(2000)),
        "docx-bomb-64": ("Word：64 MiB 零（image1.bin）", lambda: hostile_docx.with_linked_zeros(64)),
        "docx-200k": ("Word：问题报告的 20 万个小段落", lambda: hostile_docx.tiny_paragraphs(200_000)),
        "docx-5001": ("Word：5 001 个小段落", lambda: hostile_docx.tiny_paragraphs(5_001)),
    }


def peak_kb():
    # VmHWM: this process's peak resident memory since exec (ru_maxrss would carry the parent's).
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


def child(name):
    import django

    django.setup()
    from bulletins.importer import ImportFailed, extract_text
    from bulletins.sanitize import BodyRejected, sanitize_html

    data = cases()[name][1]()
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")  # reset VmHWM to the current resident size: building the input is not measured
    before = peak_kb()
    started = time.process_time()
    try:
        if name.startswith("body"):
            result = f"接受，{len(sanitize_html(data)):,} 字符"
        else:
            result = f"接受，{len(extract_text(data, filename='news.docx')):,} 字符"
    except (BodyRejected, ImportFailed) as error:
        message = error.messages[0] if isinstance(error, BodyRejected) else error.message
        result = "拒绝：" + message.split("，")[0].split("（")[0]
    seconds = time.process_time() - started
    print(json.dumps({"size": len(data), "seconds": seconds, "before_kb": before, "after_kb": peak_kb(),
                      "result": result}))


def main(names):
    print("| 输入 | 大小 | 结果 | CPU | 进程峰值（前 → 后） |")
    print("|---|---:|---|---:|---|")
    for name in names or cases():
        run = subprocess.run([sys.executable, __file__, "--child", name], capture_output=True, text=True, cwd=ROOT)
        if run.returncode:
            print(f"| {cases()[name][0]} | | 出错：{run.stderr.strip().splitlines()[-1]} | | |")
            continue
        row = json.loads(run.stdout.strip().splitlines()[-1])
        size = f"{row['size']:,} 字符" if name.startswith("body") else f"{row['size'] / 1024:,.0f} KB"
        print(f"| {cases()[name][0]} | {size} | {row['result']} | {row['seconds'] * 1000:,.0f} ms "
              f"| {row['before_kb'] // 1024} → {row['after_kb'] // 1024} MB |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2])
    else:
        main(sys.argv[1:])
