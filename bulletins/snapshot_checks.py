"""Tamper detection (网页防篡改): every published issue's current snapshot, checked six ways.

(a) the stored parts still have the stored hash; (b) the audit log holds that hash in an intact
signing record; (c) a fresh render from the live rows gives the same hash (catches a direct
edit of an entry); (d) so does a fresh render from the signed revision; (e) the issue's sealed
public state (bulletins/seals.py) matches its status, publish time and snapshot; (f) the audit
log's last change of the issue's public state is the signing of this snapshot, not a withdrawal,
and its publish time is the one signed (catches an old seal copied back). `verify()` returns the
problems, each naming the issue and the check; `run()` also records the outcome (SnapshotCheck),
which raises or clears the blocking alert on the admin index.
"""

import datetime
import logging
import re
from dataclasses import dataclass

from django.utils import timezone

from reversion.errors import RevertError

from accounts.audit_chain import row_is_intact
from accounts.models import AuditEvent

from .articles import article_from_live, article_from_revision, render_article
from .models import Issue
from .seals import issue_is_sealed
from .snapshots import SIGN_ACTION, label, record_check, stored_hash

logger = logging.getLogger(__name__)

# The audited actions after which an issue is public (a signing) or not (the other two).
STATE_ACTIONS = (SIGN_ACTION, "workflow.withdraw", "workflow.reopen")
# An immediate publish is audited moments after its publish time is taken (after proofreading).
PUBLISH_TIME_SLACK = datetime.timedelta(minutes=10)
SCHEDULED = re.compile(r"定时发布于 (\d{4}-\d{2}-\d{2} \d{2}:\d{2})")


@dataclass
class Result:
    checked: int
    problems: list

    @property
    def passed(self):
        return not self.problems


def _audit_problem(issue, snapshot):
    events = AuditEvent.objects.filter(action=SIGN_ACTION, object_type=Issue._meta.label, object_id=str(issue.pk),
                                       detail__contains=f"SHA-256：{snapshot.sha256}")
    event = events.order_by("-id").first()
    if event is None:
        return "（b）审计记录中没有这份快照的签发哈希：快照或审计记录被改动"
    if not row_is_intact(event):
        return f"（b）记录签发哈希的审计记录（编号 {event.pk}）与其哈希链不符：审计记录被改动"
    return None


def _publish_time_matches(issue, event):
    scheduled = SCHEDULED.search(event.detail)
    if scheduled:
        return f"{timezone.localtime(issue.published_at):%Y-%m-%d %H:%M}" == scheduled[1]
    return abs(issue.published_at - event.created_at) <= PUBLISH_TIME_SLACK


def _state_problems(issue, snapshot):
    """(f): the issue's public state against its audited transitions (issues signed by an import
    or a migration have no publish record; their time is covered by the seal alone)."""
    events = AuditEvent.objects.filter(object_type=Issue._meta.label, object_id=str(issue.pk),
                                       outcome=AuditEvent.Outcome.SUCCESS).order_by("-id")
    found = []
    last = events.filter(action__in=STATE_ACTIONS).first()
    if last is not None and last.action != SIGN_ACTION:
        found.append(f"（f）审计记录中这一期最后一次是撤稿或撤稿后重新编辑（编号 {last.pk}），期刊却是已发布：发布状态被直接改动")
    elif last is not None and f"SHA-256：{snapshot.sha256}" not in last.detail:
        found.append(f"（f）审计记录中最后一次签发（编号 {last.pk}）的哈希不是当前快照的：期刊被指向了旧的或伪造的快照")
    publish = events.filter(action="workflow.publish").first()
    if publish is not None and not _publish_time_matches(issue, publish):
        found.append(f"（f）发布时间与审计记录中的签发发布（编号 {publish.pk}）不符：发布时间被直接改动")
    return found


def check_issue(issue):
    """The problems of one published issue's current snapshot (empty when all four checks pass)."""
    snapshot = issue.snapshot
    if snapshot is None:
        return [f"{label(issue)}：没有签发快照"]
    found = []
    if stored_hash(snapshot) != snapshot.sha256:
        found.append("（a）快照内容与签发时的哈希不符：快照被改动")
    audit_problem = _audit_problem(issue, snapshot)
    if audit_problem:
        found.append(audit_problem)
    # Rendered with the site settings and registry names as signed: renaming a section, a person
    # or a unit is a normal edit of the registry, not a change of the signed issue.
    site, names = snapshot.site_values, snapshot.names
    if render_article(article_from_live(issue, site=site, names=names)).sha256 != snapshot.sha256:
        found.append("（c）数据库中的现有内容与签发快照不一致：条目或其栏目、人物、单位被改动")
    if snapshot.revision_id is None:
        found.append("（d）快照没有记录签发的修订版本")
    else:
        try:
            signed = article_from_revision(snapshot.revision, issue.pk, site=site, names=names)
            from_revision = render_article(signed).sha256
        except (KeyError, StopIteration, ValueError, RevertError):  # unreadable: reported as (d)
            from_revision = None
        if from_revision != snapshot.sha256:
            found.append("（d）签发的修订版本与快照不一致：快照或修订版本被改动")
    if not issue_is_sealed(issue, snapshot.sha256):
        found.append("（e）期刊的状态、发布时间或当前快照与发布状态签名不符：期刊记录被直接改动")
    found += _state_problems(issue, snapshot)
    return [f"{label(issue)}（快照 {snapshot.pk}，版本 {snapshot.issue_version}）：{problem}" for problem in found]


def verify(issues=None):
    """Check every published issue (scheduled ones included) or the given queryset."""
    if issues is None:
        issues = Issue.objects.filter(status=Issue.Status.PUBLISHED)
    issues = issues.select_related("snapshot__revision").order_by("year", "number")
    checked, problems = 0, []
    for issue in issues.iterator(chunk_size=200):
        checked += 1
        problems += check_issue(issue)
    return Result(checked, problems)


def run(source):
    """Verify, record the outcome for the admin alert, log problems at error level."""
    result = verify()
    record_check(source, problems=result.problems, checked=result.checked)
    for problem in result.problems:
        logger.error("snapshot verification: %s", problem)
    return result
