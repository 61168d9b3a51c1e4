"""The editorial workflow of an issue: 草稿 → 待审核 → 待签发 → 已发布 (→ 已撤回), and back.

Each transition is one function with keyword-only arguments. It checks the user's
permission and the issue's current state on the server (under a row lock), runs in one
transaction, bumps `issue.version`, records an `IssueTransition`, an audit event and a
revision, then emails the people who act next. Refusals raise `PermissionDenied` (no
permission: 403) or `WorkflowError` (wrong state, missing comment, stale version: a Chinese
message for the user).
"""

import datetime
from dataclasses import dataclass, field

import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from reversion.errors import RevertError

from accounts import audit

from . import checks, notifications
from .models import Issue, IssueTransition
from .revisions import save_revision

Status = Issue.Status
Action = IssueTransition.Action

SUBMIT = "bulletins.submit_issue"
REVIEW = "bulletins.review_issue"
SIGN = "bulletins.sign_issue"

# Who may edit an issue in each state; nobody edits a withdrawn issue.
EDIT_PERMISSION = {
    Status.DRAFT: SUBMIT,
    Status.IN_REVIEW: REVIEW,
    Status.AWAITING_SIGNOFF: SIGN,
    Status.PUBLISHED: SIGN,
}

# A published issue may be scheduled up to a minute "in the past" (the form's clock).
PUBLISH_TIME_TOLERANCE = datetime.timedelta(minutes=1)


class WorkflowError(Exception):
    """A transition refused for a reason the user can fix; the message is in Chinese."""


class BlockingFindings(WorkflowError):
    def __init__(self, findings):
        self.findings = findings
        super().__init__(
            "校对发现严重问题，不能签发："
            + "；".join(finding.message.rstrip("。") for finding in findings)
            + "。请修改后再签发，或填写强制签发理由。"
        )


@dataclass(frozen=True)
class Transition:
    action: str
    sources: dict  # state it may start from -> the permission needed there
    target: str
    needs_comment: bool = False

    @property
    def label(self):
        return Action(self.action).label


TRANSITIONS = {
    Action.SUBMIT: Transition(Action.SUBMIT, {Status.DRAFT: SUBMIT}, Status.IN_REVIEW),
    Action.PASS: Transition(Action.PASS, {Status.IN_REVIEW: REVIEW}, Status.AWAITING_SIGNOFF),
    Action.RETURN: Transition(
        Action.RETURN, {Status.IN_REVIEW: REVIEW, Status.AWAITING_SIGNOFF: SIGN}, Status.DRAFT, needs_comment=True
    ),
    Action.PUBLISH: Transition(Action.PUBLISH, {Status.AWAITING_SIGNOFF: SIGN}, Status.PUBLISHED),
    Action.WITHDRAW: Transition(Action.WITHDRAW, {Status.PUBLISHED: SIGN}, Status.WITHDRAWN, needs_comment=True),
}


@dataclass
class Outcome:
    transition: IssueTransition
    findings: list = field(default_factory=list)  # proofreading findings (warnings at submit)
    recipients: list = field(default_factory=list)


def may_edit(user, issue):
    """Editors edit drafts, reviewers issues in review, signers issues awaiting sign-off or published."""
    if not user.has_perm("bulletins.change_issue"):
        return False
    if issue is None or issue.pk is None:
        return True
    permission = EDIT_PERMISSION.get(issue.status)
    return permission is not None and user.has_perm(permission)


def editable_statuses(user):
    """The statuses in which `user` may edit an issue (the rule of may_edit, for querysets)."""
    if not user.has_perm("bulletins.change_issue"):
        return []
    return [status for status, permission in EDIT_PERMISSION.items() if user.has_perm(permission)]


def may_perform(user, action, issue):
    """Whether `user` may perform `action` on `issue` in its current state."""
    permission = TRANSITIONS[action].sources.get(issue.status)
    return permission is not None and user.has_perm(permission)


def may_perform_anywhere(user, action):
    """Whether `user` may perform `action` in at least one state (offers list actions)."""
    return any(user.has_perm(permission) for permission in TRANSITIONS[action].sources.values())


def available(user, issue):
    """The transitions `user` may perform on `issue` now, in workflow order."""
    return [transition for action, transition in TRANSITIONS.items() if may_perform(user, action, issue)]


def describe_change(issue):
    """“张三于 2026-11-24 20:30” — who last changed the issue and when."""
    who = issue.updated_by.display_name if issue.updated_by else "他人"
    when = timezone.localtime(issue.updated_at).strftime("%Y-%m-%d %H:%M:%S")
    return f"{who}于 {when}"


def _lock(issue, *, expected_version):
    """The issue re-read under a row lock; refused if it changed since the caller read it."""
    current = Issue.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=issue.pk)
    expected = issue.version if expected_version is None else int(expected_version)
    if current.version != expected or current.status != issue.status:
        raise WorkflowError(
            f"“{current}”已被{describe_change(current)}修改（当前状态：{current.get_status_display()}），"
            "操作未执行。请刷新页面查看最新内容后再试。"
        )
    return current


def _require_permission(issue, *, action, by, request):
    if not may_perform_anywhere(by, action):
        audit.record(f"workflow.{action}", user=by, request=request, obj=issue, outcome="failure", detail="没有权限")
        raise PermissionDenied(f"您没有“{TRANSITIONS[action].label}”的权限。")


def _perform(issue, *, action, by, comment="", expected_version=None, request=None, apply=None, detail="",
             also=None):
    transition = TRANSITIONS[action]
    _require_permission(issue, action=action, by=by, request=request)
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise WorkflowError("撤稿必须填写原因。" if action == Action.WITHDRAW else "退回必须填写意见，说明需要修改什么。")

    with transaction.atomic():
        current = _lock(issue, expected_version=expected_version)
        if current.status not in transition.sources:
            raise WorkflowError(f"“{current}”当前状态为“{current.get_status_display()}”，不能{transition.label}。")
        if not may_perform(by, action, current):
            raise PermissionDenied(f"您没有在“{current.get_status_display()}”状态下{transition.label}的权限。")
        from_status = current.status
        current.status = transition.target
        current.version += 1
        current.updated_by = by
        if apply:
            apply(current)
        current.save()
        record = IssueTransition.objects.create(
            issue=current, action=action, from_status=from_status, to_status=current.status, by=by, comment=comment
        )
        audit.record(f"workflow.{action}", user=by, request=request, obj=current,
                     detail="；".join(part for part in [f"{Status(from_status).label} → {current.get_status_display()}",
                                                        comment, detail] if part))
        if also:
            also(current)
        with reversion.create_revision(manage_manually=True):
            save_revision(current, user=by, comment=_revision_comment(record, current))

    # Hand the caller the fresh row so it sees the new state and version.
    for name in ("status", "version", "published_at", "withdrawn_reason", "updated_by", "updated_at"):
        setattr(issue, name, getattr(current, name))
    recipients = notifications.notify(record, request=request)
    return Outcome(transition=record, recipients=recipients)


def _revision_comment(record, issue):
    text = record.get_action_display()
    if record.action == Action.PUBLISH and issue.is_scheduled:
        text = f"定时发布（{timezone.localtime(issue.published_at):%Y-%m-%d %H:%M}）"
    return f"{text}：{record.comment}" if record.comment else text


def submit(issue, *, by, expected_version=None, request=None):
    """草稿 → 待审核. Proofreading findings come back as warnings; they do not stop the submit."""
    outcome = _perform(issue, action=Action.SUBMIT, by=by, expected_version=expected_version, request=request)
    outcome.findings = checks.run_checks(issue)
    return outcome


def pass_review(issue, *, by, expected_version=None, request=None, comment=""):
    """待审核 → 待签发."""
    return _perform(issue, action=Action.PASS, by=by, comment=comment, expected_version=expected_version,
                    request=request)


def return_issue(issue, *, by, comment, expected_version=None, request=None):
    """待审核 or 待签发 → 草稿, with a required comment saying what to fix."""
    return _perform(issue, action=Action.RETURN, by=by, comment=comment, expected_version=expected_version,
                    request=request)


def publish(issue, *, by, at=None, override_reason="", expected_version=None, request=None):
    """待签发 → 已发布, now or at `at` (scheduled: hidden until then, no cron job needed).

    Blocking proofreading findings refuse the publish unless `override_reason` is given; the
    override is audited on its own.
    """
    _require_permission(issue, action=Action.PUBLISH, by=by, request=request)
    now = timezone.now()
    if at is not None and at < now - PUBLISH_TIME_TOLERANCE:
        raise WorkflowError("定时发布的时间已经过去，请选择将来的时间，或选择立即发布。")
    publish_at = at if at is not None and at > now else now
    override_reason = (override_reason or "").strip()
    findings = checks.run_checks(issue)
    blocking = checks.blocking(findings)
    if blocking and not override_reason:
        raise BlockingFindings(blocking)

    def apply(current):
        current.published_at = publish_at
        current.withdrawn_reason = ""

    def audit_override(current):
        audit.record("workflow.override", user=by, request=request, obj=current,
                     detail=f"理由：{override_reason}；问题：" + "；".join(f.message for f in blocking))

    outcome = _perform(
        issue, action=Action.PUBLISH, by=by, comment=override_reason if blocking else "",
        expected_version=expected_version, request=request, apply=apply, also=audit_override if blocking else None,
        detail=f"定时发布于 {timezone.localtime(publish_at):%Y-%m-%d %H:%M}" if publish_at > now else "",
    )
    outcome.findings = findings
    return outcome


def withdraw(issue, *, by, reason, expected_version=None, request=None):
    """已发布 → 已撤回, with a required reason; the public URL then answers 410."""

    def apply(current):
        current.withdrawn_reason = reason.strip()

    return _perform(issue, action=Action.WITHDRAW, by=by, comment=reason, expected_version=expected_version,
                    request=request, apply=apply)


def restore(version, *, by, expected_version=None, request=None):
    """Make an old revision the current draft; newer revisions stay, the restore is a new one.

    Only someone who may edit the issue now may restore it, and never directly into
    public view: the result is always a 草稿, so a published or withdrawn issue is refused.
    """
    issue = Issue.objects.get(pk=version.object_id)
    if not may_edit(by, issue) or issue.status == Status.WITHDRAWN:
        raise PermissionDenied("您没有修改这一期的权限，不能恢复旧版本。")
    if issue.status == Status.PUBLISHED:
        raise WorkflowError("已发布的期刊不能恢复为草稿；如需更正请直接修改，或先撤稿。")
    if expected_version is None:
        expected_version = issue.version
    with transaction.atomic():
        current = _lock(issue, expected_version=expected_version)
        from_status, version_number = current.status, current.version
        try:
            version.revision.revert(delete=True)
        except RevertError as error:
            # django-reversion's own message is English and names its internals.
            raise WorkflowError("无法恢复这个版本：版本中的数据与当前的数据结构不一致，或它引用的内容已被删除。") from error
        current = Issue.objects.get(pk=issue.pk)
        current.status = Status.DRAFT
        current.published_at = None
        current.withdrawn_reason = ""
        current.version = version_number + 1
        current.updated_by = by
        current.save()
        created = timezone.localtime(version.revision.date_created).strftime("%Y-%m-%d %H:%M:%S")
        comment = f"恢复为 {created} 的版本"
        record = IssueTransition.objects.create(
            issue=current, action=Action.RESTORE, from_status=from_status, to_status=Status.DRAFT, by=by,
            comment=comment,
        )
        audit.record("workflow.restore", user=by, request=request, obj=current, detail=comment)
        with reversion.create_revision(manage_manually=True):
            save_revision(current, user=by, comment=f"{comment}（草稿）")
    return Outcome(transition=record)


def users_with(permission):
    """Active accounts holding `permission` through a role or directly (superusers not spammed)."""
    return get_user_model().objects.with_perm(
        permission, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
    )
