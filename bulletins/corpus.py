"""A realistic synthetic archive for benchmarks and demos, made from the sample issue's sentences.

Entries get a date line (a day or 近日/日前), an opening sentence naming a person with the
title as written or a unit, and two to six sentences of the sample's same section; the
people and units are linked as the importer would link them. Everything is inserted in
bulk; the search index rows are built in the same batches.
"""

import datetime
import random
import re
from contextlib import contextmanager
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from .models import Entry, EntryPerson, EntrySearchIndex, Issue, Person, Section, SiteSettings, Unit
from .models.search import POSTGRES_CREATE_GIN_INDEX, POSTGRES_GIN_INDEX
from .sample_registry import PEOPLE as SAMPLE_PEOPLE
from .sanitize import paragraphs_to_html

SAMPLE = Path(__file__).resolve().parent / "fixtures" / "bulletin-2023-13.txt"
SECTION_HEADING = re.compile(r"^【(.+)】$")
SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]")
BATCH_ISSUES = 100
BULK_LOAD_ISSUES = 500
MAX_YEARS = 30

PEOPLE = [
    *SAMPLE_PEOPLE,
    ("王晓梅", "市委常委、秘书长"),
    ("陈立新", "市人大常委会副主任"),
    ("刘春华", "市政协副主席"),
]
UNITS = [
    ("中共巴中市委宣传部", "市委宣传部"),
    ("巴中市残疾人联合会", "市残联"),
    ("巴中市住房和城乡建设局", "市住建局"),
    ("国家税务总局巴中市税务局", "市税务局"),
    ("巴中市中医院", "市中医院"),
    ("巴中市人力资源和社会保障局", "市人社局"),
    ("巴中市机关事务服务中心", "市机关事务中心"),
    ("巴中市公安局", "市公安局"),
    ("巴中市生态环境局", "市生态环境局"),
    ("巴中市交通运输局", "市交通运输局"),
    ("巴州区", ""),
    ("恩阳区", ""),
    ("通江县", ""),
    ("南江县", ""),
    ("平昌县", ""),
    ("巴中日报社", ""),
]
LEADER_ACTIONS = [
    "深入{unit}暗访督导创文工作。",
    "主持召开创建全国文明城市工作推进会，听取{unit}工作汇报。",
    "到{unit}调研文明城市创建工作。",
    "带队检查{unit}市容环境卫生整治情况。",
    "参加{unit}组织的春季义务植树活动。",
]
UNIT_ACTIONS = [
    "{unit}组织志愿者到包保社区开展文明劝导志愿服务活动。",
    "{unit}在江北广场开展《巴中市文明行为促进条例》宣讲活动。",
    "{unit}开展背街小巷环境卫生集中整治行动。",
    "{unit}组织干部职工参与创文入户宣传工作。",
    "{unit}联合社区开展垃圾分类进小区活动。",
]


@contextmanager
def search_index_built_afterwards(*, bulk):
    """PostgreSQL bulk load: building the GIN index once at the end is much faster than
    updating it row by row (searches are slow while it is missing)."""
    if not bulk or connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DROP INDEX IF EXISTS {POSTGRES_GIN_INDEX}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(POSTGRES_CREATE_GIN_INDEX)


def sample_sentences():
    """The sample's sentences, grouped by section name."""
    sentences, section = {}, None
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if heading := SECTION_HEADING.match(line):
            section = heading.group(1)
        elif section and line and not line.startswith(("上一篇", "下一篇")):
            text = re.sub(r"^●(近日|日前|\d+月\d+日[上下]?午?)?[，,]?", "", line).replace(",", "，")
            sentences.setdefault(section, []).extend(s.strip() for s in SENTENCE.findall(text) if len(s.strip()) > 8)
    return sentences


def publish_times(count, *, now):
    """`count` publish times, oldest first, spread over at most MAX_YEARS years before `now`."""
    per_year = max(24, -(-count // MAX_YEARS))
    interval = datetime.timedelta(days=365) / per_year
    return [now - interval * (count - i) for i in range(count)]


class CorpusGenerator:
    def __init__(self, *, seed=0, entries_per_issue=25, now=None):
        self.random = random.Random(seed)
        self.entries_per_issue = entries_per_issue
        self.now = now or timezone.now()
        self.sentences = sample_sentences()
        self.all_sentences = [s for group in self.sentences.values() for s in group]
        self.sections = [s for s in Section.objects.all() if s.name in self.sentences] or list(Section.objects.all())
        self.bulletin_name = SiteSettings.load().bulletin_name
        self.people = [Person.objects.get_or_create(name=n, defaults={"title": t})[0] for n, t in PEOPLE]
        self.units = [Unit.objects.get_or_create(name=n, defaults={"short_names": s})[0] for n, s in UNITS]

    def numbered_issues(self, count):
        numbers = {}
        for year, number in Issue.objects.values_list("year", "number"):
            numbers[year] = max(numbers.get(year, 0), number)
        issues = []
        for published_at in publish_times(count, now=self.now):
            year = timezone.localtime(published_at).year
            numbers[year] = numbers.get(year, 0) + 1
            issues.append(
                Issue(
                    year=year,
                    number=numbers[year],
                    title=f"{year}年{self.bulletin_name}(第{numbers[year]}期)",
                    status=Issue.Status.PUBLISHED,
                    published_at=published_at,
                    dated_at=published_at,  # bulk_create skips Issue.save(), which would set it
                )
            )
        return issues

    def entry(self, issue, section, order):
        pick = self.random
        unit = pick.choice(self.units)
        unit_name = unit.aliases[0] if unit.aliases else unit.name
        person, title = None, ""
        if section.name == "领导活动":
            person = pick.choice(self.people)
            title = person.title
            opening = f"{title}{person.name}" + pick.choice(LEADER_ACTIONS).format(unit=unit_name)
        else:
            opening = pick.choice(UNIT_ACTIONS).format(unit=unit_name)
        if pick.random() < 0.3:
            date_text, event_date = pick.choice(["近日", "日前"]), None
        else:
            event_date = timezone.localtime(issue.published_at).date() - datetime.timedelta(days=pick.randint(1, 20))
            date_text = f"{event_date.month}月{event_date.day}日"
        pool = self.sentences.get(section.name, [])
        if len(pool) < 6:
            pool = pool + self.all_sentences
        body = pick.sample(pool, k=min(len(pool), pick.randint(2, 6)))
        split = pick.randint(1, len(body))
        paragraphs = [f"{date_text}，{opening}" + "".join(body[:split]), "".join(body[split:])]
        paragraphs = [p for p in paragraphs if p]
        entry = Entry(
            issue=issue,
            section=section,
            order=order,
            body=paragraphs_to_html(paragraphs),
            plain_text="\n".join(paragraphs),
            date_text=date_text,
            event_date=event_date,
        )
        return entry, person, title, unit

    def generate(self, issue_count, *, progress=None):
        """Insert `issue_count` published issues with their entries; returns (issues, entries)."""
        issues = self.numbered_issues(issue_count)
        entry_total = 0
        with search_index_built_afterwards(bulk=issue_count >= BULK_LOAD_ISSUES):
            for start in range(0, len(issues), BATCH_ISSUES):
                with transaction.atomic():
                    batch = Issue.objects.bulk_create(issues[start : start + BATCH_ISSUES])
                    entry_total += self._fill(batch)
                if progress:
                    progress(len(batch))
        return len(issues), entry_total

    def _fill(self, issues):
        made = []
        for issue in issues:
            sections = sorted(self.random.choices(self.sections, k=self.entries_per_issue), key=lambda s: s.order)
            made.extend(self.entry(issue, section, order) for order, section in enumerate(sections))
        entries = Entry.objects.bulk_create([entry for entry, *_ in made])
        EntryPerson.objects.bulk_create(
            EntryPerson(entry=entry, person=person, title_as_written=title)
            for entry, person, title, _ in made
            if person
        )
        Entry.units.through.objects.bulk_create(
            Entry.units.through(entry_id=entry.pk, unit_id=unit.pk) for entry, _, _, unit in made
        )
        EntrySearchIndex.objects.bulk_create(EntrySearchIndex.build(entry, entry.issue) for entry in entries)
        return len(entries)
