"""Snapshots for issues that tests publish by writing rows directly (factories), not by the workflow.

The public pages serve a published issue's signed snapshot only. Tests that build a published
issue with the factories and then add entries, people and units expect those on the page, as if
the issue had been signed afterwards; `sign_on_change` gives them that: while active, every
change of a published issue's rows stores a fresh snapshot of it (without an audit record or a
revision, so it does not pass `verify_snapshots`). Tests of the snapshots themselves opt out
with `@pytest.mark.signed_snapshots` and use only the real publishing paths.
"""

import contextlib

from django.db.models.signals import m2m_changed, post_delete, post_save

from bulletins.articles import article_from_live, render_article, site_values
from bulletins.models import Entry, EntryPerson, Issue, IssueSnapshot


def sign_directly(issue):
    """A snapshot of `issue` as its rows are now, as the publishing paths would write it."""
    site = site_values()
    rendered = render_article(article_from_live(issue, site=site))
    return IssueSnapshot.objects.create(
        issue=issue, issue_version=issue.version, site_values=site, names=rendered.names,
        detail_html=rendered.detail_html, print_html=rendered.print_html, plain_text=rendered.plain_text,
        sha256=rendered.sha256,
        signed_at=issue.published_at or issue.updated_at,
    )


_deferred = None  # the ids of the issues to sign when `signing_deferred` ends, while it is active


def _resign(issue_id):
    if _deferred is not None:
        if issue_id is not None:
            _deferred.add(issue_id)
        return
    issue = Issue.objects.filter(pk=issue_id, status=Issue.Status.PUBLISHED).first()
    if issue is not None:
        sign_directly(issue)


def _on_issue(sender, instance, raw=False, **kwargs):
    if not raw and instance.status == Issue.Status.PUBLISHED:
        _resign(instance.pk)


def _on_entry(sender, instance, raw=False, **kwargs):
    if not raw:
        _resign(instance.issue_id)


def _on_link(sender, instance, raw=False, **kwargs):
    if not raw:
        _resign(Entry.objects.filter(pk=instance.entry_id).values_list("issue_id", flat=True).first())


def _on_units(sender, instance, action, reverse, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        _resign(instance.issue_id)
    else:
        for issue_id in set(Entry.objects.filter(pk__in=pk_set or ()).values_list("issue_id", flat=True)):
            _resign(issue_id)


RECEIVERS = [
    (post_save, _on_issue, Issue), (post_save, _on_entry, Entry), (post_delete, _on_entry, Entry),
    (post_save, _on_link, EntryPerson), (post_delete, _on_link, EntryPerson),
    (m2m_changed, _on_units, Entry.units.through),
]


@contextlib.contextmanager
def signing_deferred():
    """Build an issue row by row and sign it once at the end, not after every row: what the
    issue looks like when the block ends is what `sign_on_change` would have signed last."""
    global _deferred
    if _deferred is not None:  # nested: the outer block signs
        yield
        return
    _deferred = set()
    try:
        yield
        pending = _deferred
    finally:
        _deferred = None
    for issue_id in sorted(pending):
        _resign(issue_id)


@contextlib.contextmanager
def sign_on_change():
    for signal, receiver, sender in RECEIVERS:
        signal.connect(receiver, sender=sender, dispatch_uid=f"test-sign-{receiver.__name__}-{sender.__name__}")
    try:
        yield
    finally:
        for signal, receiver, sender in RECEIVERS:
            signal.disconnect(receiver, sender=sender, dispatch_uid=f"test-sign-{receiver.__name__}-{sender.__name__}")
