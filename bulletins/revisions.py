"""Revisions of an issue with its entries (django-reversion): registration, history, diff.

Every admin save and every workflow transition stores one revision of the issue, made by
`save_revision()` after everything is saved, so that entries deleted in the same save are
not in it.
"""

import datetime
import difflib
from dataclasses import dataclass, field

import reversion
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from reversion.models import Version

from .models import Entry, EntryPerson, Issue, Person, Section, Unit

reversion.register(EntryPerson)
reversion.register(Entry, follow=["entry_people"])
reversion.register(Issue, follow=["entries"])

ISSUE_FIELDS = [("title", "标题"), ("source", "来源"), ("status", "状态"), ("published_at", "发布时间"),
                ("withdrawn_reason", "撤稿原因"), ("report_to", "版记·报"), ("send_to", "版记·送"),
                ("issue_to", "版记·发"), ("print_run", "印数")]


def save_revision(issue, *, user, comment):
    """Store the issue and its entries as one revision; call inside `reversion.create_revision()`.

    Every row is added explicitly, so it is serialised as it is now: in an automatic revision
    block an entry is serialised when first saved, before its people and units are linked, and
    a revision holding that copy would drop every link on restore.
    """
    reversion.set_user(user)
    reversion.set_comment(comment)
    # Entries before the issue: the issue's `follow` then finds them in the revision already,
    # instead of reading each entry's links, units and people again one query at a time.
    entries = issue.entries.prefetch_related("entry_people__person", "units")  # units: for the serialiser
    for entry in entries:
        reversion.add_to_revision(entry)
        for link in entry.entry_people.all():
            reversion.add_to_revision(link)
    reversion.add_to_revision(issue)


def versions_of(issue):
    """The issue's own versions, newest first, each with its revision and user."""
    return Version.objects.get_for_object(issue).select_related("revision__user")


@dataclass
class EntrySnapshot:
    pk: int
    section: str
    section_order: int
    order: int
    text: str
    people: tuple = ()  # "title as written + name", in their order
    units: tuple = ()

    @property
    def place(self):
        return f"【{self.section}】第{self.order}条"

    @property
    def links(self):
        """“人物：市长高鹏凌；单位：市残联” — the entry's relations as a reader would name them."""
        parts = [f"人物：{'、'.join(self.people)}" if self.people else "",
                 f"单位：{'、'.join(self.units)}" if self.units else ""]
        return "；".join(part for part in parts if part) or "无"


@dataclass
class EntryChange:
    kind: str  # "added", "removed", "moved", "changed", "relinked"
    entry: EntrySnapshot
    old: EntrySnapshot = None
    text_diff: str = ""

    @property
    def label(self):
        return {"added": "新增", "removed": "删除", "moved": "移动", "changed": "修改", "relinked": "关联"}[self.kind]


@dataclass
class RevisionDiff:
    fields: list = field(default_factory=list)  # (label, old, new)
    entries: list = field(default_factory=list)  # EntryChange

    @property
    def is_empty(self):
        return not self.fields and not self.entries


def _people_of(revision):
    """{entry pk: ("市长高鹏凌", …)} from the person links stored in `revision`."""
    link_type = ContentType.objects.get_for_model(EntryPerson)
    links = sorted((version.field_dict for version in revision.version_set.filter(content_type=link_type)),
                   key=lambda data: (data["order"], data["id"]))
    names = dict(Person.objects.filter(pk__in={data["person_id"] for data in links}).values_list("pk", "name"))
    people = {}
    for data in links:
        name = names.get(data["person_id"], "（已删除的人物）")
        people.setdefault(data["entry_id"], []).append(f"{data['title_as_written']}{name}")
    return people


def _entries_of(version):
    entry_type = ContentType.objects.get_for_model(Entry)
    sections = {s.pk: s for s in Section.objects.all()}
    people = _people_of(version.revision)
    entry_data = [(int(v.object_id), v.field_dict) for v in version.revision.version_set.filter(content_type=entry_type)]
    unit_names = dict(Unit.objects.filter(pk__in={pk for _, data in entry_data for pk in data.get("units", [])})
                      .values_list("pk", "name"))
    snapshots = {}
    for pk, data in entry_data:
        section = sections.get(data["section_id"])
        snapshots[pk] = EntrySnapshot(
            pk=pk,
            section=section.name if section else "（已删除的栏目）",
            section_order=section.order if section else 0,
            order=data["order"],
            text=data["plain_text"] or data["body"],
            people=tuple(people.get(pk, ())),
            units=tuple(sorted(unit_names.get(unit, "（已删除的单位）") for unit in data.get("units", []))),
        )
    return snapshots


def _field_value(name, value):
    if name == "status" and value:
        return Issue.Status(value).label
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
    return str(value)


def inline_diff(old, new):
    """The two texts as one HTML fragment, character by character: <del> removed, <ins> added."""
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("{}", old[a1:a2]))
            continue
        if a2 > a1:
            parts.append(("<del>{}</del>", old[a1:a2]))
        if b2 > b1:
            parts.append(("<ins>{}</ins>", new[b1:b2]))
    return format_html_join("", "{}", ((format_html(template, text),) for template, text in parts))


def diff(old_version, new_version):
    """What changed between two versions of an issue: its fields, and its entries one by one."""
    result = RevisionDiff()
    old_fields, new_fields = old_version.field_dict, new_version.field_dict
    for name, label in ISSUE_FIELDS:
        attname = Issue._meta.get_field(name).attname
        old, new = _field_value(name, old_fields.get(attname)), _field_value(name, new_fields.get(attname))
        if old != new:
            result.fields.append((label, old, new))

    old_entries, new_entries = _entries_of(old_version), _entries_of(new_version)
    for pk, entry in new_entries.items():
        before = old_entries.get(pk)
        if before is None:
            result.entries.append(EntryChange("added", entry))
            continue
        if (before.section, before.order) != (entry.section, entry.order):
            result.entries.append(EntryChange("moved", entry, old=before))
        if before.text != entry.text:
            text_diff = inline_diff(before.text, entry.text)
            result.entries.append(EntryChange("changed", entry, old=before, text_diff=text_diff))
        if (before.people, before.units) != (entry.people, entry.units):
            result.entries.append(EntryChange("relinked", entry, old=before))
    for pk, entry in old_entries.items():
        if pk not in new_entries:
            result.entries.append(EntryChange("removed", entry))
    result.entries.sort(key=lambda change: (change.entry.section_order, change.entry.order, change.entry.pk))
    return result
