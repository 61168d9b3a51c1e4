"""The in-process half of `make bench` (bench/run.py): search timings and cache hits after a publication.

Both run in the `make bench` process against the benchmark database, with the configured cache
(local memory). The publication is made in a transaction that is rolled back, so the archive
is left as it was.
"""

import statistics
import time

TYPICAL_QUERIES = [
    "创文", "植树", "志愿服务", "文明 志愿", "陶斌", "垃圾分类", "攀枝花", "问题整改", "市残联 体检",
    "湘潭", "交通秩序", "创文 入户", "背街小巷", "文明城市", "环境卫生", "高鹏凌 植树", "宣讲", "包保",
    "公益广告", "市容",
]
SEARCH_RUNS = 5  # per query, after one warm-up run
UNTOUCHED_ISSUES = 5
NEW_WORD = "基准测试专用词"


def search_timings():
    """`search()` (candidates and ranking, no cache) plus the first page of 20 with snippets, per query."""
    from django.core.paginator import Paginator

    from bulletins.search import highlight, parse_query, search, snippet

    def once(text):
        started = time.perf_counter()
        query = parse_query(text)
        for entry in Paginator(search(query), 20).get_page(1):
            snippet(entry, query.terms), highlight(entry.issue.title, query.terms)
        return (time.perf_counter() - started) * 1000

    per_query = {}
    for text in TYPICAL_QUERIES:
        once(text)
        per_query[text] = [once(text) for _ in range(SEARCH_RUNS)]
    every = [timing for timings in per_query.values() for timing in timings]
    slowest = max(per_query, key=lambda text: max(per_query[text]))
    return {
        "runs": len(every),
        "median": statistics.median(every),
        "max": max(every),
        "slowest": slowest,
        "per_query": {text: statistics.median(timings) for text, timings in per_query.items()},
    }


class _RollBack(Exception):
    pass


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def hits_after_publishing():
    """Publish a new issue (one entry, in one section, naming nobody) after the public pages were
    visited; then each page's first request: a hit is one query (the numbers) and no rendering."""
    from django.db import transaction
    from django.test import Client
    from django.utils import timezone

    from bulletins.models import Entry, Issue, Person, Section, Unit

    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    try:
        with transaction.atomic():
            issues = list(Issue.objects.published().newest_first()[: UNTOUCHED_ISSUES + 3])
            newest = issues[0]
            section = Section.objects.public().first()
            untouched = [issue.get_absolute_url() for issue in issues[2:]]
            untouched += [s.get_absolute_url() for s in Section.objects.public().exclude(pk=section.pk)[:2]]
            untouched += [p.get_absolute_url() for p in Person.objects.public()[:2]]
            untouched += [u.get_absolute_url() for u in Unit.objects.public()[:2]]
            showing = ["/", "/issues/", "/feed/", "/sitemap.xml", f"/search/?q={NEW_WORD}",
                       newest.get_absolute_url(), section.get_absolute_url()]
            for url in untouched + showing:
                client.get(url)
            number = Issue.objects.filter(year=newest.year).order_by("-number").values_list("number", flat=True)[0] + 1
            issue = Issue.objects.create(year=newest.year, number=number, status=Issue.Status.AWAITING_SIGNOFF,
                                         dated_at=timezone.now())
            Entry.objects.create(issue=issue, section=section, body=f"<p>近日，{NEW_WORD}。</p>")
            issue.status, issue.published_at = Issue.Status.PUBLISHED, timezone.now()
            issue.save()  # what the workflow's publish saves; bulletins/signals.py does the rest
            for url in untouched:
                response, count = _queries(client, url)
                rows.append({"url": url, "shows_it": False, "status": response.status_code, "queries": count,
                             "ok": response.status_code == 200 and count == 1})
            for url in showing:
                response, count = _queries(client, url)
                fresh = issue.get_absolute_url() in response.content.decode()
                rows.append({"url": url, "shows_it": True, "status": response.status_code, "queries": count,
                             "ok": response.status_code == 200 and fresh})
            raise _RollBack
    except _RollBack:
        pass
    return rows
