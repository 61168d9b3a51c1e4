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
    names: object = None  # the names read in the entries, once (proofreading.titles.read_names)
    stored_keys: dict = None  # key -> ids of other issues' entries stored under it (stored_matches)


def issue_date(issue):
    """The issue's own date (刊期日期), today while it has none."""
    return timezone.localdate(issue.dated_at) if issue.dated_at else timezone.localdate()


def load(issue):
    entries = list(issue.entries.select_related("section").order_by("section__order", "section_id", "order", "id"))
    checked, position, section_id = [], 0, None
    for entry in entries:
        position = position + 1 if entry.section_id == section_id else 1
        section_id = entry.section_id
        checked.append(CheckedEntry(entry=entry, where=f"{entry.section.name} 第{position}条", text=entry.plain_text))
    return IssueContext(issue=issue, date=issue_date(issue), entries=checked)


def stored_matches(context):
    """Other entries sharing a stored key (bulletins/nearcopies.py) with this issue's entries:
    {key: {entry id, …}}, read once for the exact and the near repeat checks, by index."""
    if context.stored_keys is None:
        from bulletins.models import EntryBand
        from bulletins.nearcopies import keys

        wanted = set().union(*(keys(checked.text) for checked in context.entries)) if context.entries else set()
        own = {checked.entry.pk for checked in context.entries}
        context.stored_keys = {}
        if wanted:
            for entry_id, key in EntryBand.objects.filter(key__in=wanted).values_list("entry_id", "key"):
                if entry_id not in own:
                    context.stored_keys.setdefault(key, set()).add(entry_id)
    return context.stored_keys
