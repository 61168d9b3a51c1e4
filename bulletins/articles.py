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

    @property
    def sha256(self):
        return content_hash(self.detail_html, self.print_html, self.plain_text)


def content_hash(detail_html, print_html, plain_text):
    """SHA-256 of the three parts in one canonical form (sorted-key JSON, UTF-8)."""
    canonical = json.dumps({"detail_html": detail_html, "plain_text": plain_text, "print_html": print_html},
                           ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def site_values(site=None):
    site = site or SiteSettings.load()
    return {name: getattr(site, name) for name in SITE_FIELDS}


def _distribution(issue_fields, site):
    """The 版记 rule of Issue.distribution, on plain values."""
    own = any(issue_fields.get(name) for name in ("report_to", "send_to", "issue_to"))
    source = issue_fields if own else site
    print_run = issue_fields.get("print_run")
    return Distribution(report_to=source.get("report_to") or "", send_to=source.get("send_to") or "",
                        issue_to=source.get("issue_to") or "",
                        print_run=print_run if print_run is not None else site.get("print_run"))


def _to_second(value):
    """Times to the second: a revision stores them to the millisecond, the live row to the microsecond."""
    return value.replace(microsecond=0) if value is not None else None


def _article(issue_fields, sections, site):
    return Article(
        year=issue_fields["year"], number=issue_fields["number"], title=issue_fields["title"],
        source=issue_fields["source"], dated_at=_to_second(issue_fields["dated_at"]),
        correction_note=issue_fields["correction_note"], corrected_at=_to_second(issue_fields["corrected_at"]),
        distribution=_distribution(issue_fields, site), site=dict(site), sections=tuple(sections),
    )


def _person_link(person):
    return Link(person.pk, person.name, reverse("bulletins:person", args=[person.pk]))


def _unit_link(unit):
    return Link(unit.pk, unit.name, reverse("bulletins:unit", args=[unit.pk]))


def _grouped(entries):
    """[(section, [ArticleEntry])] → ArticleSection tuples, entries already in reading order."""
    sections = []
    for section, entry in entries:
        if not sections or sections[-1][0] != section:
            sections.append((section, []))
        sections[-1][1].append(entry)
    return [ArticleSection(section.pk, section.name, tuple(items)) for section, items in sections]


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


def article_from_live(issue, *, site=None, entries=None):
    """The article as the live rows have it; `site` defaults to the current site settings."""
    site = site if site is not None else site_values()
    entries = live_entries([issue]) if entries is None else entries
    return _article(_issue_fields(issue), _grouped(
        (entry.section, ArticleEntry(
            entry.pk, entry.body,
            tuple(_person_link(mention.person) for mention in entry.entry_people.all()),
            tuple(_unit_link(unit) for unit in entry.units.all()),
        )) for entry in entries
    ), site)


def article_from_revision(revision, issue_pk, *, site):
    """The article as stored in a django-reversion revision of the issue (its entries and links).

    Sections, people and units are not versioned: their names come from the live registry.
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
    return _article(issue_data, _grouped(
        (sections[data["section_id"]], ArticleEntry(
            data["id"], data["body"],
            tuple(_person_link(people[link["person_id"]]) for link in links if link["entry_id"] == data["id"]),
            tuple(_unit_link(unit) for unit in units if unit.pk in set(data.get("units", []))),
        )) for data in entries
    ), site)


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
    )
