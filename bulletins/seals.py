"""Seals of what the public sees (网页防篡改): an issue's public state, and the entries it signed.

A snapshot's SHA-256 proves its article is what was signed, not that the issue should be public:
status and publish time live in the issue row, which the site's own database role may write. So
the issue row carries a seal, the HMAC with the audit chain's key (accounts/audit_chain.py) over
its year, number, status, publish time and the hash of its current snapshot. `Issue.save()` and
a new snapshot recompute it; a row changed past the application (a withdrawn issue set back to
published, a forged snapshot pointed to) no longer matches, and the public pages refuse it.

Listings (feeds, section, person and unit pages) show entries from the live rows; each entry, and
each person it names with the title as written, is sealed when its issue is signed, so an entry
or a mention edited in the database is left out. Each check is
one HMAC over a short string, on values read by the query the page makes anyway.
"""

import datetime
import hmac

from accounts.audit_chain import keyed_hash

# The issue fields a seal covers: saving any of them reseals (bulletins/models/issues.py).
ISSUE_FIELDS = ("year", "number", "status", "published_at", "snapshot")


def _instant(value):
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds") if value else None


def issue_seal(issue, sha256):
    """The seal of `issue`'s public state with `sha256` the hash of its current snapshot ("" if none)."""
    return keyed_hash(["issue-state", issue.year, issue.number, issue.status, _instant(issue.published_at),
                       sha256 or ""])


def issue_is_sealed(issue, sha256):
    return hmac.compare_digest(issue_seal(issue, sha256), issue.public_seal or "")


def entry_seal(entry):
    """The seal of what a listing shows of an entry: its issue, section, date and text."""
    return keyed_hash(["entry", entry.pk, entry.issue_id, entry.section_id, entry.date_text,
                       entry.event_date.isoformat() if entry.event_date else None, entry.plain_text])


def entry_is_sealed(entry):
    return hmac.compare_digest(entry_seal(entry), entry.public_seal or "")


def mention_seal(mention):
    """The seal of a person named in an entry (EntryPerson) with the title as written there."""
    return keyed_hash(["mention", mention.pk, mention.entry_id, mention.person_id, mention.title_as_written])


def mention_is_sealed(mention):
    return hmac.compare_digest(mention_seal(mention), mention.public_seal or "")


def seal_signed(snapshot):
    """Point the issue at its new snapshot, resealing it, its entries and the people they name as
    they are now."""
    from .models import Entry, EntryPerson, Issue

    issue = Issue.objects.only(*ISSUE_FIELDS[:-1]).get(pk=snapshot.issue_id)
    Issue.objects.filter(pk=issue.pk).update(snapshot=snapshot, public_seal=issue_seal(issue, snapshot.sha256))
    entries = list(Entry.objects.filter(issue_id=issue.pk).only(
        "issue_id", "section_id", "date_text", "event_date", "plain_text", "public_seal"))
    for entry in entries:
        entry.public_seal = entry_seal(entry)
    Entry.objects.bulk_update(entries, ["public_seal"], batch_size=200)
    mentions = list(EntryPerson.objects.filter(entry__issue_id=issue.pk).only(
        "entry_id", "person_id", "title_as_written", "public_seal"))
    for mention in mentions:
        mention.public_seal = mention_seal(mention)
    EntryPerson.objects.bulk_update(mentions, ["public_seal"], batch_size=200)
