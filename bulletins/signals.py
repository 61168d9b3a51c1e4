"""Which cached public pages a content change forgets (the numbers: bulletins/page_stamps.py).

A change to issue A while it is public, or that makes it public or takes it down (publish,
correction, withdrawal, reissue, a change of date or number), gives new stamps to the pages that
show A: its own pages, its newer and older neighbours (their 上一篇/下一篇 links name it), the
listings (home, issue list, feeds, sitemap, search) and the browse pages of the sections, people
and units its entries name. A change to one entry of a public issue forgets that issue's pages,
the listings and the entry's own browse pages. Site-wide changes start a new content generation:
the site settings, a section, a person or unit shown on the public site, and a change to the set
of sections in the site navigation (the first or last public entry of a section).

A new signed snapshot (bulletins/snapshots.py) is always written in the transaction of such a
change (publish, correction, import), so it needs no handler of its own; the data migration that
signed the issues already published runs before the stamps' table exists.

The stamps are written by the handlers below, after the change and in its transaction, so other
requests see the new numbers exactly when they can see the change; a page rendered from the old
rows stays under the old numbers. Each handler first refreshes the generation row
(`refresh_schedule`), whose row lock serialises such transactions: neighbours worked out after it
include every issue published by a transaction that committed before.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import Entry, EntryPerson, Issue, Person, Section, SiteSettings, Unit
from .page_stamps import LISTING, bump_generation, bump_pages, issue_page, refresh_schedule

PUBLISHED = Issue.Status.PUBLISHED
PLACE_FIELDS = ("year", "number", "dated_at", "status", "published_at")


# What shows what ------------------------------------------------------------------------------


def _is_public(place):
    """Issue.is_published (the one publishing rule) for a place read before or after a change."""
    return Issue(status=place["status"], published_at=place["published_at"]).is_published


def _issue_pages(place):
    """The issue's own pages and its public neighbours' (which link to it by title)."""
    probe = Issue(year=place["year"], number=place["number"], dated_at=place["dated_at"])
    neighbours = [issue for issue in (probe.newer(), probe.older()) if issue is not None]
    return {issue_page(place["year"], place["number"]), *(issue_page(i.year, i.number) for i in neighbours)}


def _browse_pages(entries):
    """The browse pages of the sections, people and units the given entries name."""
    pages = {("section", slug) for slug in Section.objects.filter(entries__in=entries).values_list("slug", flat=True)}
    pages |= {("person", pk) for pk in EntryPerson.objects.filter(entry__in=entries).values_list("person_id", flat=True)}
    pages |= {("unit", pk) for pk in Entry.units.through.objects.filter(entry__in=entries).values_list("unit_id", flat=True)}
    return pages


def _navigation_changes(section_ids, other_entries):
    """Whether a section would enter or leave the site navigation (the sections of public entries):
    true when one of them has no public entry among `other_entries`."""
    public = other_entries.filter(issue__in=Issue.objects.published())
    return any(not public.filter(section_id=pk).exists() for pk in set(section_ids) if pk is not None)


def _public_issues(**lookup):
    return list(Issue.objects.published().filter(**lookup).values_list("year", "number"))


def _forget(pages, *, navigation=False):
    if navigation:
        bump_generation()
    bump_pages(pages)


# Issues ---------------------------------------------------------------------------------------


@receiver(pre_save, sender=Issue, dispatch_uid="public-pages-issue-before")
def remember_issue_place(sender, instance, **kwargs):
    instance._place_before = Issue.objects.filter(pk=instance.pk).values(*PLACE_FIELDS).first() if instance.pk else None


@receiver(post_save, sender=Issue, dispatch_uid="public-pages-issue-saved")
def forget_issue_pages(sender, instance, created=False, **kwargs):
    before, instance._place_before = getattr(instance, "_place_before", None), None
    _forget_issue(instance, [place for place in (before, _place(instance)) if place], visibility_changed=created)


def forget_pages_showing(issue):
    """For writers that add an issue's people or units in bulk (no signals): the importer."""
    _forget_issue(issue, [_place(issue)], visibility_changed=True)


def _place(issue):
    return {name: getattr(issue, name) for name in PLACE_FIELDS}


def _forget_issue(issue, places, *, visibility_changed):
    if not any(place["status"] == PUBLISHED for place in places):
        return  # a draft, in review or withdrawn both before and after: no public page shows it
    refresh_schedule()
    public = [place for place in places if _is_public(place)]
    if not public:
        return  # scheduled: it appears when the generation expires at its time
    entries = Entry.objects.filter(issue_id=issue.pk)
    pages = {LISTING, *_browse_pages(entries)}
    for place in public:
        pages |= _issue_pages(place)
    visibility_changed = visibility_changed or len(public) != len(places)
    sections = entries.values_list("section_id", flat=True)
    _forget(pages, navigation=visibility_changed and _navigation_changes(sections, Entry.objects.exclude(issue_id=issue.pk)))


@receiver(pre_delete, sender=Issue, dispatch_uid="public-pages-issue-deleting")
def collect_deleted_issue_pages(sender, instance, **kwargs):
    instance._pages_to_forget = None
    place = Issue.objects.filter(pk=instance.pk).values(*PLACE_FIELDS).first()
    if place and _is_public(place):
        entries = Entry.objects.filter(issue_id=instance.pk)
        navigation = _navigation_changes(entries.values_list("section_id", flat=True),
                                         Entry.objects.exclude(issue_id=instance.pk))
        instance._pages_to_forget = ({LISTING, *_browse_pages(entries), *_issue_pages(place)}, navigation)


# Entries --------------------------------------------------------------------------------------


@receiver(pre_save, sender=Entry, dispatch_uid="public-pages-entry-before")
def remember_entry_place(sender, instance, **kwargs):
    instance._place_before = (
        Entry.objects.filter(pk=instance.pk).values("issue_id", "section_id").first() if instance.pk else None
    )


@receiver(post_save, sender=Entry, dispatch_uid="public-pages-entry-saved")
def forget_entry_pages(sender, instance, created=False, **kwargs):
    before, instance._place_before = getattr(instance, "_place_before", None), None
    issue_ids = {instance.issue_id, before["issue_id"] if before else None} - {None}
    issues = _public_issues(pk__in=issue_ids)
    if not issues:
        return
    refresh_schedule()
    sections = {instance.section_id, before["section_id"] if before else None}
    moved = created or before is None or before["issue_id"] != instance.issue_id or len(sections) > 1
    entries = Entry.objects.filter(pk=instance.pk)
    pages = {LISTING, *(issue_page(*issue) for issue in issues), *_browse_pages(entries)}
    pages |= {("section", slug) for slug in Section.objects.filter(pk__in=sections).values_list("slug", flat=True)}
    _forget(pages, navigation=moved and _navigation_changes(sections, Entry.objects.exclude(pk=instance.pk)))


@receiver(pre_delete, sender=Entry, dispatch_uid="public-pages-entry-deleting")
def collect_deleted_entry_pages(sender, instance, **kwargs):
    instance._pages_to_forget = None
    issues = _public_issues(pk=instance.issue_id)
    if issues:
        entries = Entry.objects.filter(pk=instance.pk)
        navigation = _navigation_changes([instance.section_id], Entry.objects.exclude(pk=instance.pk))
        instance._pages_to_forget = ({LISTING, issue_page(*issues[0]), *_browse_pages(entries)}, navigation)


@receiver(post_delete, sender=Issue, dispatch_uid="public-pages-issue-deleted")
@receiver(post_delete, sender=Entry, dispatch_uid="public-pages-entry-deleted")
def forget_deleted_pages(sender, instance, **kwargs):
    collected = getattr(instance, "_pages_to_forget", None)
    if collected:
        refresh_schedule()
        pages, navigation = collected
        _forget(pages, navigation=navigation)


# People and units named in entries --------------------------------------------------------------


@receiver(pre_save, sender=EntryPerson, dispatch_uid="public-pages-mention-before")
def remember_mentioned_person(sender, instance, **kwargs):
    instance._person_before = (
        EntryPerson.objects.filter(pk=instance.pk).values_list("person_id", flat=True).first() if instance.pk else None
    )


@receiver(post_save, sender=EntryPerson, dispatch_uid="public-pages-mention-saved")
@receiver(post_delete, sender=EntryPerson, dispatch_uid="public-pages-mention-deleted")
def forget_mention_pages(sender, instance, **kwargs):
    people = {instance.person_id, getattr(instance, "_person_before", None)} - {None}
    instance._person_before = None
    _forget_links(entry_ids=[instance.entry_id], scope="person", keys=people)


def _forget_links(*, entry_ids, scope, keys):
    issues = _public_issues(entries__in=entry_ids)
    if issues:
        refresh_schedule()
        bump_pages({LISTING, *(issue_page(*issue) for issue in set(issues)), *((scope, key) for key in keys)})


def _linked_entries_changed(scope, through_field, actions=("post_add", "post_remove", "post_clear")):
    """m2m_changed handler for an entry's people or units, called from either side of the link."""

    def handler(sender, instance, action, reverse, pk_set, **kwargs):
        if action == "pre_clear" and "post_clear" in actions:
            related = getattr(instance, "entries" if reverse else through_field)
            instance._cleared_links = set(related.values_list("pk", flat=True))
            return
        if action not in actions:
            return
        linked = instance.__dict__.pop("_cleared_links", set()) if action == "post_clear" else set(pk_set or ())
        if reverse:  # unit.entries.add(...): instance is the unit or person
            _forget_links(entry_ids=linked, scope=scope, keys={instance.pk})
        else:
            _forget_links(entry_ids=[instance.pk], scope=scope, keys=linked)

    return handler


_units_changed = _linked_entries_changed("unit", "units")
# Removing or clearing people deletes EntryPerson rows one by one, which the mention handlers above
# already see (post_delete); only adding (a bulk insert, no post_save) is left to this one.
_people_changed = _linked_entries_changed("person", "people", actions=("post_add",))
m2m_changed.connect(_units_changed, sender=Entry.units.through, dispatch_uid="public-pages-entry-units")
m2m_changed.connect(_people_changed, sender=Entry.people.through, dispatch_uid="public-pages-entry-people")


# Site-wide changes --------------------------------------------------------------------------------


def forget_every_page(**kwargs):
    bump_generation()


for model in (Section, SiteSettings):
    post_save.connect(forget_every_page, sender=model, dispatch_uid=f"public-cache-save-{model.__name__}")
    post_delete.connect(forget_every_page, sender=model, dispatch_uid=f"public-cache-delete-{model.__name__}")


def _shown_in_public(instance):
    return type(instance).objects.public().filter(pk=instance.pk).exists()


@receiver(post_save, sender=Person, dispatch_uid="public-cache-save-Person")
@receiver(post_save, sender=Unit, dispatch_uid="public-cache-save-Unit")
def forget_pages_naming(sender, instance, **kwargs):
    """A registry record shown on the public site (named by a public entry) is on many pages at once."""
    if _shown_in_public(instance):
        bump_generation()


@receiver(pre_delete, sender=Person, dispatch_uid="public-cache-deleting-Person")
@receiver(pre_delete, sender=Unit, dispatch_uid="public-cache-deleting-Unit")
def collect_deleted_record(sender, instance, **kwargs):
    instance._shown_in_public = _shown_in_public(instance)


@receiver(post_delete, sender=Person, dispatch_uid="public-cache-delete-Person")
@receiver(post_delete, sender=Unit, dispatch_uid="public-cache-delete-Unit")
def forget_pages_naming_deleted(sender, instance, **kwargs):
    if getattr(instance, "_shown_in_public", False):
        bump_generation()
