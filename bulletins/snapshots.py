"""Signed snapshots: written whenever an issue becomes or stays public, checked before serving.

`sign()` renders the issue's article from its live rows once (bulletins/articles.py), records
its SHA-256 in the audit log and attaches the snapshot to the revision being stored (it is
created with that revision, so it names the revision it was rendered from, also when the
workflow runs inside an outer revision block of the admin). The public views serve
`issue.snapshot` only when `is_intact()`; otherwise `unverified_response()` answers 503.
"""

import logging

import reversion
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts import audit

from .articles import article_from_live, content_hash, render_article, site_values
from .models import IssueSnapshot, SnapshotCheck

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


def unverified_response(request, issue):
    """503 “本页正在核验” for a published issue whose snapshot is missing or fails its hash."""
    snapshot = issue.snapshot
    problem = (f"{label(issue)}：没有签发快照" if snapshot is None
               else f"{label(issue)}：公开页面的快照哈希不符（快照 {snapshot.pk}）")
    logger.error("snapshot check failed on the public page: %s", problem)
    alert = open_alert()
    if alert is None or problem not in alert.problems:
        # The alert shows the newest check: it carries the problems already open, so neither a
        # full run's findings are hidden nor a row written per visit when two pages fail in turn.
        open_problems = alert.problems.splitlines() if alert is not None else []
        record_check(SnapshotCheck.Source.PUBLIC_PAGE, problems=[*open_problems, problem],
                     checked=alert.checked if alert is not None else 1)
    response = render(request, "snapshot_unverified.html", {"issue": issue}, status=503)
    add_never_cache_headers(response)
    return response
