"""Signed snapshots: written whenever an issue becomes or stays public, checked before serving.

`sign()` renders the issue's article from its live rows once (bulletins/articles.py), records
its SHA-256 in the audit log and attaches the snapshot to the revision being stored (it is
created with that revision, so it names the revision it was rendered from, also when the
workflow runs inside an outer revision block of the admin). The public views serve
`issue.snapshot` only when `serving_problem()` finds none — the snapshot is intact and the
issue's sealed public state (bulletins/seals.py) names it; otherwise `unverified_response()`
answers 503. Listings leave out what `public_issues()` and `public_entries()` refuse.
"""

import logging

import reversion
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts import audit

from .articles import article_from_live, content_hash, render_article, site_values
from .models import IssueSnapshot, SnapshotCheck
from .seals import entry_is_sealed, issue_is_sealed, mention_is_sealed

logger = logging.getLogger(__name__)

SIGN_ACTION = "snapshot.sign"  # the audit action of a signing (audit.record below)


def label(issue):
    return f"{issue.year}年第{issue.number}期"


def sign(issue, *, by=None, request=None, at=None):
    """Snapshot `issue` as its live rows are now; call inside the `reversion.create_revision()`
    block that stores the issue's revision (the snapshot is written with that revision)."""
    site = site_values()
    rendered = render_article(article_from_live(issue, site=site))
    sha256 = rendered.sha256
    # SIGN_ACTION, written out: tests/test_audit_actions.py reads the actions from the record() calls.
    audit.record("snapshot.sign", user=by, request=request, obj=issue,
                 detail=f"{label(issue)}，版本 {issue.version}，SHA-256：{sha256}")
    reversion.add_meta(
        IssueSnapshot, issue=issue, issue_version=issue.version, site_values=site, names=rendered.names,
        detail_html=rendered.detail_html, print_html=rendered.print_html, plain_text=rendered.plain_text,
        sha256=sha256, signed_by=by if getattr(by, "is_authenticated", False) else None,
        signed_at=at or timezone.now(),
    )
    return sha256


def sign_with_revision(issue, *, by=None, request=None, comment="签发快照"):
    """Store a revision of the issue and sign it (for paths that store no revision themselves)."""
    from .revisions import save_revision

    with reversion.create_revision(manage_manually=True):
        save_revision(issue, user=by if getattr(by, "is_authenticated", False) else None, comment=comment)
        sign(issue, by=by, request=request)


def stored_hash(snapshot):
    return content_hash(snapshot.detail_html, snapshot.print_html, snapshot.plain_text, snapshot.names)


def is_intact(snapshot):
    """Whether what the snapshot would serve still has the hash it was signed with."""
    return snapshot is not None and stored_hash(snapshot) == snapshot.sha256


def serving_problem(issue):
    """Why the public must not be shown `issue`'s snapshot (its issue row and snapshot loaded), or None."""
    snapshot = issue.snapshot
    if snapshot is None:
        return f"{label(issue)}：没有签发快照"
    if not is_intact(snapshot):
        return f"{label(issue)}：公开页面的快照哈希不符（快照 {snapshot.pk}）"
    if not issue_is_sealed(issue, snapshot.sha256):
        return (f"{label(issue)}：发布状态或当前快照与签发记录不符（快照 {snapshot.pk}）："
                "期刊的状态、发布时间或快照被直接改动")
    return None


def public_issues(issues):
    """The listed issues whose sealed state matches, in their order; needs `snapshot_sha256`
    (IssueQuerySet.with_snapshot_hash()). The others are reported and left out."""
    kept = []
    for issue in issues:
        if issue_is_sealed(issue, issue.snapshot_sha256):
            kept.append(issue)
        else:
            report(f"{label(issue)}：发布状态与签发记录不符，未在列表中显示：期刊的状态、发布时间或快照被直接改动")
    return kept


def with_issue_hash(queryset, issue="issue"):
    """Entries (or links to them, `issue` the path to the entry's issue) annotated with
    `issue_snapshot_sha256`, which public_entries() needs, read by the same query."""
    return queryset.annotate(issue_snapshot_sha256=F(f"{issue}__snapshot__sha256"))


def public_entries(items, *, entry_of=None):
    """The listed entries, or mentions of people in them (`entry_of` giving the entry), whose seal
    and whose issue's seal match; each item needs `issue_snapshot_sha256` (with_issue_hash()).
    The others are reported and left out."""
    kept = []
    for item in items:
        entry = entry_of(item) if entry_of else item
        issue = entry.issue
        if not issue_is_sealed(issue, item.issue_snapshot_sha256):
            report(f"{label(issue)}：发布状态与签发记录不符，其条目未在列表中显示：期刊记录被直接改动")
        elif not entry_is_sealed(entry) or (entry_of and not mention_is_sealed(item)):
            report(f"{label(issue)}：条目 {entry.pk} 或其人物与签发时不符，未在列表中显示：条目被直接改动")
        else:
            kept.append(item)
    return kept


def record_check(source, *, problems=(), checked=0):
    return SnapshotCheck.objects.create(source=source, passed=not problems, checked=checked,
                                        problems="\n".join(problems))


def open_alert():
    """The newest check if it found problems: the admin index shows it until a later one passes."""
    latest = SnapshotCheck.objects.order_by("-checked_at", "-id").first()
    return latest if latest is not None and not latest.passed else None


def may_see_alert(user):
    """Signers (签发) and auditors (审计员) see the alert; it is theirs to act on."""
    return user.is_active and (user.has_perm("bulletins.sign_issue") or user.has_perm("accounts.view_auditevent"))


def report(problem):
    """Log a problem a public page found and raise the admin alert with it (once per problem)."""
    logger.error("snapshot check failed on the public page: %s", problem)
    alert = open_alert()
    if alert is None or problem not in alert.problems:
        # The alert shows the newest check: it carries the problems already open, so neither a
        # full run's findings are hidden nor a row written per visit when two pages fail in turn.
        open_problems = alert.problems.splitlines() if alert is not None else []
        record_check(SnapshotCheck.Source.PUBLIC_PAGE, problems=[*open_problems, problem],
                     checked=alert.checked if alert is not None else 1)


def unverified_response(request, issue):
    """503 “本页正在核验” for a published issue whose snapshot or sealed state does not verify."""
    report(serving_problem(issue) or f"{label(issue)}：快照核验未通过")
    response = render(request, "snapshot_unverified.html", {"issue": issue}, status=503)
    add_never_cache_headers(response)
    return response
