"""`make bench-proofreading`: recall, precision and time of 校对 on a generated corpus.

Steps: a fresh PostgreSQL database (DATABASE_URL, default wenming_bench_proofreading) is
migrated; the corpus of bench/proofreading_corpus.py is written (registry, published issues
with seeded errors) through the models, so every signal handler runs as in the admin; every
issue is checked with `run_checks` and each finding matched against the seeds. Then the archive
is grown to ARCHIVE_ENTRIES entries and the near-duplicate lookup timed again. The results go to
docs/benchmarks-proofreading.md.
"""

import datetime
import io
import os
import platform
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from databases import fresh_database  # noqa: E402
os.environ["DJANGO_SETTINGS_MODULE"] = "wenming.settings.bench"
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wenming_bench_proofreading")
ARCHIVE_ENTRIES = int(os.environ.get("BENCH_ARCHIVE_ENTRIES", "100000"))
OUTPUT = ROOT / "docs" / "benchmarks-proofreading.md"
PHASE_ONE_ENTRIES = 0
TZ = ZoneInfo("Asia/Shanghai")
CODES = {
    "title": {"title"}, "name_titled": {"near_name"}, "name_bare": {"near_name"}, "halfwidth": {"punctuation"},
    "repeat": {"punctuation"}, "unpaired": {"punctuation"}, "near_repeat": {"near_repeat", "repeat"},
}
LABELS = {
    "title": "职务错误", "name_titled": "人名笔误（带职务）", "name_bare": "人名笔误（单独出现）",
    "halfwidth": "半角标点", "repeat": "标点重复", "unpaired": "标点不成对", "near_repeat": "近似重复条目",
}


def say(message):
    print(f"[bench-proofreading] {message}", flush=True)


def write_corpus(people, issues):
    from bulletins.models import Entry, Issue, Person, PersonTitle, Section
    from bulletins.sanitize import paragraphs_to_html

    for person in people:
        row = Person.objects.create(name=person.name, title=person.posts[-1][0])
        PersonTitle.objects.bulk_create(
            PersonTitle(person=row, title=title, start_date=start, end_date=end) for title, start, end in person.posts
        )
    sections = {section.name: section for section in Section.objects.all()}
    rows = []
    for issue in issues:
        published_at = datetime.datetime.combine(issue.date, datetime.time(10), TZ)
        row = Issue.objects.create(year=issue.year, number=issue.number, status=Issue.Status.PUBLISHED,
                                   published_at=published_at)
        entries = []
        for order, entry in enumerate(issue.entries):
            entries.append(Entry.objects.create(issue=row, section=sections[entry.section], order=order,
                                                body=paragraphs_to_html([entry.text]), date_text="近日"))
        rows.append((row, entries))
    return rows


def matches(seed, finding, entry):
    if finding.entry is None or finding.entry.pk != entry.pk or finding.code not in CODES[seed.kind]:
        return False
    return seed.offset == -1 or seed.offset in finding.at


def score(issues, rows):
    from bulletins.checks import run_checks

    kinds = {kind: {"seeded": 0, "found": 0, "right": 0} for kind in CODES}
    false_by_code, clean_false, times, clean_count = {}, 0, ([], []), 0
    for issue, (row, entries) in zip(issues, rows):
        started, cpu = time.perf_counter(), time.process_time()
        findings = run_checks(row)
        times[0].append(time.perf_counter() - started)
        times[1].append(time.process_time() - cpu)
        matched = set()
        for seed in issue.seeds:
            kinds[seed.kind]["seeded"] += 1
            entry = entries[seed.entry]
            hits = [finding for finding in findings if matches(seed, finding, entry)]
            if hits:
                kinds[seed.kind]["found"] += 1
                if not seed.expected or seed.kind == "title" or hits[0].suggestion.endswith(seed.expected):
                    kinds[seed.kind]["right"] += 1
                matched |= {id(hit) for hit in hits}
            else:
                text = entry.plain_text
                say(f"漏报 {seed.kind}：{row} 第{seed.entry + 1}条 …{text[max(0, seed.offset - 10):seed.offset + 10]}…")
        for finding in findings:
            if id(finding) not in matched:
                false_by_code.setdefault(finding.code, []).append((row, finding))
        if not issue.seeds:
            clean_count += 1
            clean_false += len(findings)
    return kinds, false_by_code, clean_false, clean_count, times


def grow_archive(people, target):
    """Older published issues (2000-2019) up to `target` entries, bulk-written with their band keys."""
    import random

    import proofreading_corpus as corpus
    from django.db import connection

    from bulletins.models import Entry, EntryBand, Issue, Section
    from bulletins.nearcopies import keys
    from bulletins.sanitize import html_to_text, paragraphs_to_html

    rng = random.Random(7)
    sections = {section.name: section for section in Section.objects.all()}
    missing = target - Entry.objects.count()
    per_year = missing // 20 // 12 + 1
    taken = set(Issue.objects.filter(year__lt=2020).values_list("year", flat=True))
    for year in [year for year in range(1980, 2020) if year not in taken][-20:]:
        if missing <= 0:
            break
        date = datetime.date(year, 6, 1)
        issues = Issue.objects.bulk_create([
            Issue(year=year, number=number, status=Issue.Status.PUBLISHED,
                  published_at=datetime.datetime.combine(date, datetime.time(10), TZ))
            for number in range(1, per_year + 1)
        ])
        entries = []
        for issue in issues:
            for order, entry in enumerate(corpus._issue_entries(rng, people, datetime.date(2021, 6, 1))):
                body = paragraphs_to_html([entry.text])
                entries.append(Entry(issue=issue, section=sections[entry.section], order=order, body=body,
                                     plain_text=html_to_text(body), date_text="近日"))
        entries = Entry.objects.bulk_create(entries[:missing], batch_size=2000)
        rows = io.StringIO()
        for entry in entries:
            rows.writelines(f"{entry.pk}\t{key}\n" for key in keys(entry.plain_text))
        rows.seek(0)
        with connection.cursor() as cursor:  # COPY: 17 keys an entry, 1.7 million rows for 100 000 entries
            cursor.cursor.copy_expert(f"COPY {EntryBand._meta.db_table} (entry_id, key) FROM STDIN", rows)
        missing -= len(entries)
        say(f"存档 {year} 年：{len(entries)} 条")


def time_near_repeats(rows):
    """Wall and CPU time of the near-duplicate check alone (its key lookup included) per issue."""
    from bulletins.proofreading import context, near_repeats

    times = ([], [])
    for row, _ in rows:
        loaded = context.load(row)
        started, cpu = time.perf_counter(), time.process_time()
        list(near_repeats.check_near_repeats(loaded))
        times[0].append(time.perf_counter() - started)
        times[1].append(time.process_time() - cpu)
    return times


def ms(values, quantile=None):
    if quantile:
        return f"{sorted(values)[int(len(values) * quantile) - 1] * 1000:.1f}"
    return f"{statistics.mean(values) * 1000:.1f}"


NOTES = [
    "## 方法",
    "",
    "- 人名与职务：`bulletins/names`（链接、导入预览、校对共用）。职务按文中写法与名录中该人在刊期日期的职务比对；"
    "人名笔误为与名录人名只差一个字的二字或三字词：跟在职务后，或保留姓氏且出现在“强调、指出、要求……”之前，"
    "或该人在本期别处被提到；候选人按文中职务是否为其在刊期日期的职务、是否在本期被提到、是否同姓排序，"
    "只给出一条发现，仍不能区分时列出其余候选人。",
    "- 标点：`bulletins/proofreading/punctuation.py`，半角标点、标点重复、引号/括号/书名号不成对；"
    "修改建议经条目自己的修改表单保存（版本、冲突检查、历史与条目修改相同）。",
    "- 近似重复：3 字切片，128 格单置换 MinHash（空格向右借值），16 段 × 8 格，每段一个键存于 `EntryBand`"
    "（有索引）；与本期条目共享至少 2 个键的旧条目才逐一比较，杰卡德相似度 ≥ 85% 报告。"
    "完全相同的条目由“重复条目”按整段文字的键（同表）查出。",
    "- 存档条目由同样的句式生成，比真实存档更雷同，候选更多，是偏保守的测量。",
    "- 本机为 2 核、多人共用的开发机：负载高时墙钟时间主要是排队等待 CPU 与数据库，先看“用时”一节记下的负载；"
    "CPU 时间更接近空闲机器上的用时。",
]


def _near_pairs(people):
    names = [person.name for person in people]
    return sum(
        1 for first in names for second in names
        if first < second and len(first) == len(second) and sum(a != b for a, b in zip(first, second)) == 1
    )


def report(people, issues, kinds, false_by_code, clean_false, clean_count, times, archive, near_times, full_times):
    seeded_issues = sum(1 for issue in issues if issue.seeds)
    lines = [
        "# 校对基准（make bench-proofreading）",
        "",
        f"生成于 {datetime.datetime.now(TZ):%Y-%m-%d %H:%M}，{platform.node()}，PostgreSQL，Python {platform.python_version()}。",
        "",
        "## 语料",
        "",
        f"- 人物名录 {len(people)} 人，2020—2024 年间任职有变动，其中同姓且只差一个字的人名 {_near_pairs(people)} 对。",
        (f"- {len(issues)} 期（每期 12 条，按 5 种领导活动句式和 4 种单位行动句式随机生成），其中 {seeded_issues} "
         f"期埋有错误，{len(issues) - seeded_issues} 期无错误。"),
        "- 错误埋在已知位置（期、条目、字符位置）；一个发现与埋设的错误在同一条目、同一类、指向同一位置才算命中。",
        "",
        "## 召回率与准确率",
        "",
        "| 错误类别 | 埋设 | 发现 | 召回率 | 建议正确 | 误报（该类） | 准确率 |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    reported = set()
    for kind, counts in kinds.items():
        codes = CODES[kind] - reported
        reported |= CODES[kind]
        false = sum(len(false_by_code.get(code, [])) for code in codes)
        same_code = [k for k in kinds if CODES[k] & codes]
        found = sum(kinds[k]["found"] for k in same_code)
        precision = found / (found + false) if found + false else 1.0
        share = "（与同类合计）" if len(same_code) > 1 and kind != same_code[0] else ""
        lines.append(
            f"| {LABELS[kind]} | {counts['seeded']} | {counts['found']} | {counts['found'] / counts['seeded']:.1%} | "
            f"{counts['right']} | {false if codes else '见上'} | {f'{precision:.1%}' if codes else '见上'}{share} |"
        )
    other = {code: found for code, found in false_by_code.items() if code not in reported}
    lines += [
        "",
        f"其他类别的误报：{', '.join(f'{code} {len(found)}' for code, found in other.items()) or '无'}。",
        f"无错误的 {clean_count} 期上的发现：**{clean_false}**。",
        "",
        "## 用时",
        "",
        (f"机器负载（1 分钟平均）：{os.getloadavg()[0]:.1f}，{os.cpu_count()} 核。墙钟时间含数据库与等待 CPU 的时间；"
         "CPU 时间只计本进程（Python 一侧）。"),
        "",
        "| 测量 | 墙钟平均 ms | 墙钟中位 ms | 墙钟 p95 ms | CPU 平均 ms | CPU 中位 ms |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {label} | {ms(wall)} | {ms(wall, 0.5)} | {ms(wall, 0.95)} | {ms(cpu)} | {ms(cpu, 0.5)} |"
            for label, (wall, cpu) in (
                (f"每期全部校对（run_checks，12 条，库中 {PHASE_ONE_ENTRIES} 条）", times),
                (f"近似重复查找（含索引查询），存档 {archive} 条", near_times),
                (f"每期全部校对，存档 {archive} 条（最后 50 期）", full_times),
            )
        ),
        "",
        ("目标：职务错误与人名笔误召回率 100%，其他类别 ≥ 95%；无错误的期零发现；每期（12 条）≤ 50 ms；"
         "近似重复在 10 万条存档上每期 ≤ 100 ms。"),
    ]
    lines += ["", *NOTES]
    examples = [(row, finding) for found in false_by_code.values() for row, finding in found][:10]
    if examples:
        lines += ["", "## 误报举例", ""]
        lines += [f"- {row} {finding.where}：{finding.message} 原文：{finding.text}" for row, finding in examples]
    OUTPUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def existing_rows(issues):
    """The corpus as an earlier run wrote it (the corpus is the same for the same seed)."""
    from bulletins.models import Issue

    rows = []
    for issue in issues:
        row = Issue.objects.get(year=issue.year, number=issue.number)
        rows.append((row, list(row.entries.order_by("order"))))
    return rows


def main():
    url = os.environ["DATABASE_URL"]
    import django

    django.setup()
    import proofreading_corpus as corpus
    from django.core.management import call_command
    from django.db import DatabaseError, connection, connections

    from bulletins.checks import run_checks
    from bulletins.models import Entry, Issue, Person

    people, issues = corpus.build()
    try:
        written = Person.objects.count() == len(people) and Issue.objects.filter(year__gte=2020).count() == len(issues)
    except DatabaseError:  # a database not migrated yet
        written = False
    if written and not os.environ.get("BENCH_FRESH"):
        say("语料已在库中（同一随机种子），直接使用；BENCH_FRESH=1 可重建")
        rows = existing_rows(issues)
    else:
        connections.close_all()
        say(f"数据库 {urllib.parse.urlparse(url).path.lstrip('/')}（重建）")
        fresh_database(url)
        call_command("migrate", interactive=False, verbosity=0)
        say(f"写入语料：{len(people)} 人，{len(issues)} 期")
        rows = write_corpus(people, issues)
    global PHASE_ONE_ENTRIES
    PHASE_ONE_ENTRIES = Entry.objects.count()
    say(f"校对每一期（库中共 {PHASE_ONE_ENTRIES} 条）")
    kinds, false_by_code, clean_false, clean_count, times = score(issues, rows)
    pending = ([0.0], [0.0])
    report(people, issues, kinds, false_by_code, clean_false, clean_count, times, "（测量中）", pending, pending)
    say(f"存档增至 {ARCHIVE_ENTRIES} 条")
    grow_archive(people, ARCHIVE_ENTRIES)
    with connection.cursor() as cursor:  # planner statistics after bulk loading, as autovacuum would gather
        cursor.execute("ANALYZE")
    archive = Entry.objects.count()
    near_times = time_near_repeats(rows)
    full_times = ([], [])
    for row, _ in rows[-50:]:
        started, cpu = time.perf_counter(), time.process_time()
        run_checks(row)
        full_times[0].append(time.perf_counter() - started)
        full_times[1].append(time.process_time() - cpu)
    report(people, issues, kinds, false_by_code, clean_false, clean_count, times, archive, near_times, full_times)


if __name__ == "__main__":
    main()
