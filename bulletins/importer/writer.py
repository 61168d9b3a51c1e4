"""Write a parsed issue to the database: issue, sections, entries, links, audit — all or nothing."""

import datetime

from django.db import transaction
from django.db.models import Max

from accounts import audit
from bulletins import snapshots
from bulletins.linking import Registry, find_mentions
from bulletins.models import Entry, EntryPerson, Issue, Section
from bulletins.sanitize import BodyRejected, paragraphs_to_html
from bulletins.signals import forget_pages_showing

from .errors import DuplicateIssue, ImportFailed
from .parser import SHANGHAI

STATUSES = (Issue.Status.DRAFT, Issue.Status.PUBLISHED)


def section_for(name, catalogue=None):
    """The catalogue section of that name; a new name is added after the others."""
    section = catalogue.get(name) if catalogue is not None else Section.objects.filter(name=name).first()
    if section is not None:
        return section
    last = Section.objects.aggregate(last=Max("order"))["last"] or 0
    slug_number = Section.objects.count() + 1
    while Section.objects.filter(slug=f"section-{slug_number}").exists():
        slug_number += 1
    return Section.objects.create(name=name, slug=f"section-{slug_number}", order=last + 10)


def existing_issue(parsed):
    return Issue.objects.filter(year=parsed.year, number=parsed.number).first()


def import_issue(parsed, *, status=None, replace=False, user=None, request=None, registry=None):
    """Create (or with `replace`, rewrite) the issue of `parsed` in one transaction and return it.

    `status` is draft or published; left out, a new issue is a draft and a replaced one keeps
    its status (and its publish time when the text has none), so re-importing an archive with
    `replace` never takes a published issue off the site by accident.
    """
    if status is not None and status not in STATUSES:
        raise ImportFailed(f"状态只能是 draft（草稿）或 published（已发布），而不是“{status}”。", filename=parsed.filename)
    if not parsed.entries:
        raise ImportFailed("没有任何条目（●），未导入。", filename=parsed.filename)
    registry = registry or Registry.load()
    with transaction.atomic():
        issue = Issue.objects.select_for_update().filter(year=parsed.year, number=parsed.number).first()
        if issue is not None and not replace:
            raise DuplicateIssue(issue, filename=parsed.filename)
        replaced = issue is not None
        if replaced:
            issue.entries.all().delete()
            issue.version += 1
        else:
            issue = Issue(year=parsed.year, number=parsed.number, created_by=user)
        issue.title = parsed.title
        issue.source = parsed.source
        issue.status = status or (issue.status if replaced else Issue.Status.DRAFT)
        _write_dates(issue, parsed, replaced)
        _write_distribution(issue, parsed)
        if issue.status == Issue.Status.PUBLISHED and issue.published_at is None:
            raise ImportFailed(
                "没有“时间:”行，红头上也没有日期，不能以已发布状态导入；请补上发布时间或改为草稿导入。",
                filename=parsed.filename,
            )
        issue.updated_by = user
        issue.save()
        count = _write_entries(issue, parsed, registry)
        forget_pages_showing(issue)  # its people and units were linked in bulk, without signals
        detail = (
            f"{'覆盖' if replaced else '新建'}，{count}条，状态{issue.get_status_display()}，"
            f"来自{parsed.filename or '粘贴的文本'}"
        )
        audit.record("import", user=user, request=request, obj=issue, detail=detail)
        if issue.status == Issue.Status.PUBLISHED:
            snapshots.sign_with_revision(issue, by=user, request=request, comment="导入（已发布）")
    return issue


def _write_dates(issue, parsed, replaced):
    """The one place the importer sets an issue's dates.

    The issue's own date (刊期日期) is the file's 时间 line, else the date under its masthead;
    a file with only a masthead date is published at that date.
    """
    dated_at = parsed.published_at
    if dated_at is None and parsed.masthead_date is not None:
        dated_at = datetime.datetime.combine(parsed.masthead_date, datetime.time(), tzinfo=SHANGHAI)
    issue.dated_at = dated_at or (issue.dated_at if replaced else None)
    issue.published_at = parsed.published_at or (issue.published_at if replaced else None)
    if issue.status == Issue.Status.PUBLISHED and issue.published_at is None:
        issue.published_at = issue.dated_at


def _write_distribution(issue, parsed):
    """A 版记 read from the file becomes the issue's own; without one the issue keeps what it had (or the default)."""
    found = parsed.distribution
    if found is None:
        return
    issue.report_to, issue.send_to, issue.issue_to = found.report_to[:300], found.send_to[:300], found.issue_to[:300]
    issue.print_run = found.print_run


def _write_entries(issue, parsed, registry):
    people, unit_links = [], []
    count = 0
    catalogue = {section.name: section for section in Section.objects.all()}
    for parsed_section in parsed.sections:
        section = section_for(parsed_section.name, catalogue)
        catalogue[section.name] = section
        for order, parsed_entry in enumerate(parsed_section.entries, start=1):
            try:
                entry = Entry.objects.create(
                    issue=issue, section=section, order=order,
                    body=paragraphs_to_html(parsed_entry.paragraphs),
                    date_text=parsed_entry.date_text[:20], event_date=parsed_entry.event_date,
                )
            except BodyRejected as error:
                raise ImportFailed(error.messages[0], filename=parsed.filename, line=parsed_entry.line) from None
            count += 1
            mentions = find_mentions(entry.plain_text, registry)
            people += [
                EntryPerson(entry=entry, person=mention.person, title_as_written=mention.title, order=position)
                for position, mention in enumerate(mentions.linked_people(), start=1)
            ]
            unit_links += [Entry.units.through(entry=entry, unit=unit) for unit in mentions.linked_units()]
    EntryPerson.objects.bulk_create(people)
    Entry.units.through.objects.bulk_create(unit_links)
    return count
