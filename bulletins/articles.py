"""The article of an issue — what a signer signs — as plain data, and its one renderer.

The same `Article` is built from the live rows (`article_from_live`, at publication and for the
editors' preview) or from a stored django-reversion revision (`article_from_revision`, to verify
a snapshot), and `render_article` turns it into the three parts a snapshot stores: the detail
page's article, the print view's sheet and the plain text. The site's header, footer and
navigation are not part of it: the views wrap the article at request time.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Entry, EntryPerson, Issue, Person, Section, SiteSettings, Unit
from .models.issues import Distribution
from .sanitize import html_to_text

# The site settings an article prints (masthead and the default 版记), kept with each snapshot.
NAME_KINDS = ("sections", "people", "units")
SITE_FIELDS = ("bulletin_name", "issuing_office", "signer_name", "internal_marking",
               "report_to", "send_to", "issue_to", "print_run")


@dataclass(frozen=True)
class Link:
    pk: int
    name: str
    url: str


@dataclass(frozen=True)
class ArticleEntry:
    pk: int
    body: str
    people: tuple = ()  # Link
    units: tuple = ()  # Link


@dataclass(frozen=True)
class ArticleSection:
    pk: int
    name: str
    entries: tuple = ()


@dataclass(frozen=True)
class Article:
    year: int
    number: int
    title: str
    source: str
    dated_at: datetime.datetime | None
    correction_note: str
    corrected_at: datetime.datetime | None
    distribution: Distribution
    site: dict = field(default_factory=dict)  # SITE_FIELDS
    sections: tuple = ()


@dataclass(frozen=True)
class Rendered:
    detail_html: str
    print_html: str
    plain_text: str
    names: dict  # registry_names(): the section, person and unit names the article shows

    @property
    def sha256(self):
        return content_hash(self.detail_html, self.print_html, self.plain_text, self.names)


def content_hash(detail_html, print_html, plain_text, names):
    """SHA-256 of the three parts and the registry names in one canonical form (sorted-key JSON, UTF-8)."""
    canonical = json.dumps({"detail_html": detail_html, "names": _canonical_names(names), "plain_text": plain_text,
                            "print_html": print_html}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _canonical_names(names):
    names = names or {}
    canonical = {kind: {str(pk): name for pk, name in (names.get(kind) or {}).items()} for kind in NAME_KINDS}
    canonical["section_order"] = [str(pk) for pk in names.get("section_order") or ()]
    return canonical


def registry_names(article):
    """{"sections"|"people"|"units": {"pk": name}, "section_order": ["pk", …]}: the registry names
    as the article shows them, and its sections in the order it shows them.

    Stored with each snapshot, so that a later rename or reordering in the registry (a unit
    renamed, a person's name corrected, the sections reordered for a new year) changes neither
    the signed page nor its verification.
    """
    names = {kind: {} for kind in NAME_KINDS}
    names["section_order"] = [str(section.pk) for section in article.sections]
    for section in article.sections:
        names["sections"][str(section.pk)] = section.name
        for entry in section.entries:
            names["people"].update((str(link.pk), link.name) for link in entry.people)
            names["units"].update((str(link.pk), link.name) for link in entry.units)
    return names


class _Names:
    """Names for a render: the signed ones (`signed`, a snapshot's names) for the pks they name,
    the live registry's for any other pk (which then differs from the snapshot, as it should)."""

    def __init__(self, signed=None):
        self.signed = signed or {}

    def __call__(self, kind, obj):
        return (self.signed.get(kind) or {}).get(str(obj.pk), obj.name)

    def in_signed_order(self, groups):
        """[(section, entries)] in the signed section order (unsigned sections last, which then
        differ from the snapshot as they should); the live order when nothing was signed."""
        order = {pk: index for index, pk in enumerate(self.signed.get("section_order") or ())}
        if not order:
            return groups
        return sorted(groups, key=lambda group: order.get(str(group[0].pk), len(order)))


def site_values(site=None):
    site = site or SiteSettings.load()
    return {name: getattr(site, name) for name in SITE_FIELDS}


def _to_second(value):
    """Times to the second: a revision stores them to the millisecond, the live row to the microsecond."""
    return value.replace(microsecond=0) if value is not None else None


def _article(issue_fields, sections, site):
    return Article(
        year=issue_fields["year"], number=issue_fields["number"], title=issue_fields["title"],
        source=issue_fields["source"], dated_at=_to_second(issue_fields["dated_at"]),
        correction_note=issue_fields["correction_note"], corrected_at=_to_second(issue_fields["corrected_at"]),
        distribution=Distribution.chosen(issue_fields, site), site=dict(site), sections=tuple(sections),
    )


def _person_link(person, name):
    return Link(person.pk, name("people", person), reverse("bulletins:person", args=[person.pk]))


def _unit_link(unit, name):
    return Link(unit.pk, name("units", unit), reverse("bulletins:unit", args=[unit.pk]))


def _grouped(entries, name):
    """[(section, [ArticleEntry])] → ArticleSection tuples, entries already in reading order."""
    sections = []
    for section, entry in entries:
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append(entry)
    return [ArticleSection(section.pk, name("sections", section), tuple(items))
            for section, items in name.in_signed_order(sections)]


def live_entries(issues):
    """Entries of the given issues with their section, people and units, in reading order."""
    return (
        Entry.objects.filter(issue__in=issues)
        .defer("plain_text")  # a second copy of the body, for search and proofreading only
        .select_related("section")
        .prefetch_related(Prefetch("entry_people", queryset=EntryPerson.objects.select_related("person")), "units")
        .order_by("section__order", "section_id", "order", "id")
    )


def _issue_fields(issue):
    return {name: getattr(issue, name) for name in (
        "year", "number", "title", "source", "dated_at", "correction_note", "corrected_at",
        "report_to", "send_to", "issue_to", "print_run")}


def article_from_live(issue, *, site=None, entries=None, names=None):
    """The article as the live rows have it; `site` defaults to the current site settings, the
    registry names to the live ones (`names`: a snapshot's names, used for the pks it names)."""
    site = site if site is not None else site_values()
    entries = live_entries([issue]) if entries is None else entries
    name = _Names(names)
    return _article(_issue_fields(issue), _grouped((
        (entry.section, ArticleEntry(
            entry.pk, entry.body,
            tuple(_person_link(mention.person, name) for mention in entry.entry_people.all()),
            tuple(_unit_link(unit, name) for unit in entry.units.all()),
        )) for entry in entries
    ), name), site)


def article_from_revision(revision, issue_pk, *, site, names=None):
    """The article as stored in a django-reversion revision of the issue (its entries and links).

    Sections, people and units are not versioned: their names are `names` (the snapshot's, as
    signed) for the pks it names, the live registry's otherwise.
    """
    versions = list(revision.version_set.select_related("content_type"))
    by_model = {}
    for version in versions:
        by_model.setdefault(version.content_type.model_class(), []).append(version)
    issue_data = next(v.field_dict for v in by_model.get(Issue, []) if int(v.object_id) == issue_pk)
    issue_data = {**issue_data, "dated_at": issue_data.get("dated_at"), "corrected_at": issue_data.get("corrected_at")}
    entries = [v.field_dict for v in by_model.get(Entry, []) if v.field_dict["issue_id"] == issue_pk]
    entry_ids = {data["id"] for data in entries}
    links = sorted((v.field_dict for v in by_model.get(EntryPerson, []) if v.field_dict["entry_id"] in entry_ids),
                   key=lambda data: (data["order"], data["id"]))
    people = Person.objects.in_bulk({data["person_id"] for data in links})
    units = list(Unit.objects.filter(pk__in={pk for data in entries for pk in data.get("units", [])}))
    sections = Section.objects.in_bulk({data["section_id"] for data in entries})
    entries.sort(key=lambda data: (sections[data["section_id"]].order, data["section_id"], data["order"], data["id"]))
    name = _Names(names)
    return _article(issue_data, _grouped((
        (sections[data["section_id"]], ArticleEntry(
            data["id"], data["body"],
            tuple(_person_link(people[link["person_id"]], name) for link in links if link["entry_id"] == data["id"]),
            tuple(_unit_link(unit, name) for unit in units if unit.pk in set(data.get("units", []))),
        )) for data in entries
    ), name), site)


def _plain_text(article):
    lines = [article.title]
    if article.correction_note:
        lines.append(f"更正说明（{_local_date(article.corrected_at)}）：{article.correction_note}")
    lines.append(f"来源:{article.source} 时间: {_local_date(article.dated_at, '%Y-%m-%d %H:%M:%S')}")
    for section in article.sections:
        lines.append(f"【{section.name}】")
        for entry in section.entries:
            lines.append(html_to_text(entry.body))
            if entry.people:
                lines.append("相关人物：" + "、".join(link.name for link in entry.people))
            if entry.units:
                lines.append("相关单位：" + "、".join(link.name for link in entry.units))
    lines += [f"{label}：{text}" for label, text in article.distribution.lines()]
    return "\n".join(lines) + "\n"


def _local_date(value, fmt="%Y-%m-%d"):
    return timezone.localtime(value).strftime(fmt) if value else ""


def render_article(article):
    """The article's three parts: detail page HTML, print sheet HTML and plain text."""
    context = {"article": article}
    return Rendered(
        detail_html=render_to_string("bulletins/_issue_article.html", context),
        print_html=render_to_string("bulletins/_issue_print_article.html", context),
        plain_text=_plain_text(article),
        names=registry_names(article),
    )
