"""The sample issue (2023年第13期) and its people, built for the tests that are about the sample."""

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from bulletins.models import Entry, Issue, Person, PersonTitle, Section
from bulletins.sample_registry import PEOPLE
from bulletins.sanitize import paragraphs_to_html

SAMPLE = Path(__file__).resolve().parent.parent / "bulletins" / "fixtures" / "bulletin-2023-13.txt"
PUBLISHED_AT = datetime.datetime(2023, 4, 6, 15, 59, 37, tzinfo=ZoneInfo("Asia/Shanghai"))


_SECTION = re.compile(r"^【(.+)】$")
_DATE = re.compile(r"^(?:(\d{1,2})月(\d{1,2})日|(近日|日前))")


def make_sample_registry(start_date=datetime.date(2021, 6, 1)):
    people = []
    for name, title in PEOPLE:
        person = Person.objects.create(name=name, title=title)
        PersonTitle.objects.create(person=person, title=title, start_date=start_date)
        people.append(person)
    return people


def sample_sections(text=None):
    """[(section name, [[paragraph, …] per entry])] as the sample text lays them out."""
    text = text if text is not None else SAMPLE.read_text(encoding="utf-8")
    sections = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith(("上一篇", "下一篇")):
            break
        heading = _SECTION.match(line)
        if heading:
            sections.append((heading.group(1), []))
        elif line.startswith("●") and sections:
            sections[-1][1].append([line[1:]])
        elif line and sections and sections[-1][1]:
            sections[-1][1][-1].append(line)
    return sections


def make_sample_issue(*, year=2023, number=13, published_at=PUBLISHED_AT, status=Issue.Status.PUBLISHED):
    issue = Issue.objects.create(year=year, number=number, status=status, published_at=published_at)
    for section_name, entries in sample_sections():
        section = Section.objects.get(name=section_name)
        for order, paragraphs in enumerate(entries):
            date_text, event_date = "", None
            match = _DATE.match(paragraphs[0])
            if match and match.group(3):
                date_text = match.group(3)
            elif match:
                date_text = match.group(0)
                event_date = datetime.date(year, int(match.group(1)), int(match.group(2)))
            Entry.objects.create(
                issue=issue, section=section, order=order, body=paragraphs_to_html(paragraphs),
                date_text=date_text, event_date=event_date,
            )
    return issue
