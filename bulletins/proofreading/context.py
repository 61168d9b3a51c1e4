"""What every check reads about one issue, loaded once with a fixed number of queries."""

from dataclasses import dataclass, field

from django.utils import timezone


@dataclass
class CheckedEntry:
    entry: object
    where: str  # “领导活动 第2条”
    text: str  # the entry's plain text


@dataclass
class IssueContext:
    issue: object
    date: object  # the issue's date: its publish date, or today while it has none
    entries: list = field(default_factory=list)


def issue_date(issue):
    return timezone.localdate(issue.dated_at) if issue.dated_at else timezone.localdate()


def load(issue):
    entries = list(issue.entries.select_related("section").order_by("section__order", "section_id", "order", "id"))
    checked, position, section_id = [], 0, None
    for entry in entries:
        position = position + 1 if entry.section_id == section_id else 1
        section_id = entry.section_id
        checked.append(CheckedEntry(entry=entry, where=f"{entry.section.name} 第{position}条", text=entry.plain_text))
    return IssueContext(issue=issue, date=issue_date(issue), entries=checked)
