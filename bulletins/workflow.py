"""The editorial workflow of an issue: 草稿 → 待审核 → 待签发 → 已发布 (→ 已撤回 → 草稿), and back.

Each transition is one function with keyword-only arguments. It checks the user's
permission and the issue's current state on the server (under a row lock), runs in one
transaction, bumps `issue.version`, records an `IssueTransition`, an audit event and a
revision, then emails the people who act next; a publish also signs a snapshot of the issue
(bulletins/snapshots.py). Refusals raise `PermissionDenied` (no permission: 403) or
`WorkflowError` (wrong state, missing comment, stale version: a Chinese message for the user);
every refusal is audited as a failure. Corrections and restores: bulletins/workflow_edits.py.
"""

import datetime
from dataclasses import dataclass, field

import reversion
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts import audit

from . import checks, notifications, snapshots
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
    Action.REOPEN: Transition(Action.REOPEN, {Status.WITHDRAWN: SIGN}, Status.DRAFT, needs_comment=True),
}

COMMENT_REQUIRED = {
    Action.RETURN: "退回必须填写意见，说明需要修改什么。",
    Action.WITHDRAW: "撤稿必须填写原因。",
    Action.REOPEN: "重新编辑必须填写原因，说明要更正什么。",
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


def _refuse(error, *, action, by, request, issue):
    """Audit a refused transition (no permission, wrong state, stale version) and raise `error`."""
    audit.record(f"workflow.{action}", user=by, request=request, obj=issue, outcome="failure",
                 detail=str(error) or "没有权限")
    raise error


def _require_permission(issue, *, action, by, request):
    if not may_perform_anywhere(by, action):
        _refuse(PermissionDenied(f"您没有“{TRANSITIONS[action].label}”的权限。"), action=action, by=by,
                request=request, issue=issue)


def _perform(issue, *, action, by, comment="", expected_version=None, request=None, apply=None, detail="",
             also=None):
    transition = TRANSITIONS[action]
    _require_permission(issue, action=action, by=by, request=request)
    comment = (comment or "").strip()
    if transition.needs_comment and not comment:
        raise WorkflowError(COMMENT_REQUIRED[action])

    try:
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
                issue=current, action=action, from_status=from_status, to_status=current.status, by=by,
                comment=comment,
            )
            audit.record(f"workflow.{action}", user=by, request=request, obj=current,
                         detail="；".join(part for part in [
                             f"{Status(from_status).label} → {current.get_status_display()}", comment, detail] if part))
            if also:
                also(current)
            with reversion.create_revision(manage_manually=True):
                save_revision(current, user=by, comment=_revision_comment(record, current))
                if current.status == Status.PUBLISHED:
                    snapshots.sign(current, by=by, request=request)
    except (WorkflowError, PermissionDenied) as error:
        # Outside the rolled-back transaction, so the refusal stays on record.
        _refuse(error, action=action, by=by, request=request, issue=issue)

    # Hand the caller the fresh row so it sees the new state and version.
    for name in ("status", "version", "dated_at", "published_at", "withdrawn_reason", "correction_note",
                 "corrected_at", "updated_by", "updated_at"):
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


def publish(issue, *, by, at=None, override_reason="", correction_note="", expected_version=None, request=None):
    """待签发 → 已发布, now or at `at` (scheduled: hidden until then, no cron job needed).

    The issue keeps its own date (刊期日期) if it has one, e.g. from an imported file; a new
    issue takes the publishing moment. Republishing an issue reopened after withdrawal needs a
    public `correction_note` (更正说明), shown under the title with the date. Blocking
    proofreading findings refuse the publish unless `override_reason` is given; the override is
    audited on its own.
    """
    _require_permission(issue, action=Action.PUBLISH, by=by, request=request)
    now = timezone.now()
    if at is not None and at < now - PUBLISH_TIME_TOLERANCE:
        raise WorkflowError("定时发布的时间已经过去，请选择将来的时间，或选择立即发布。")
    publish_at = at if at is not None and at > now else now
    override_reason = (override_reason or "").strip()
    correction_note = (correction_note or "").strip()
    if issue.withdrawn_reason and not correction_note:
        raise WorkflowError("这一期曾经撤稿，重新发布必须填写更正说明（将显示在公开页面标题下方）。")
    findings = checks.run_checks(issue)
    blocking = checks.blocking(findings)
    if blocking and not override_reason:
        raise BlockingFindings(blocking)

    def apply(current):
        current.published_at = publish_at
        if current.dated_at is None:
            current.dated_at = publish_at
        if correction_note:
            current.correction_note = correction_note
            current.corrected_at = publish_at

    def audit_override(current):
        audit.record("workflow.override", user=by, request=request, obj=current,
                     detail=f"理由：{override_reason}；问题：" + "；".join(f.message for f in blocking))

    detail = [f"定时发布于 {timezone.localtime(publish_at):%Y-%m-%d %H:%M}" if publish_at > now else "",
              f"更正说明：{correction_note}" if correction_note else ""]
    outcome = _perform(
        issue, action=Action.PUBLISH, by=by, comment=override_reason if blocking else "",
        expected_version=expected_version, request=request, apply=apply, also=audit_override if blocking else None,
        detail="；".join(part for part in detail if part),
    )
    outcome.findings = findings
    return outcome


def withdraw(issue, *, by, reason, expected_version=None, request=None):
    """已发布 → 已撤回, with a required reason; the public URL then answers 410."""

    def apply(current):
        current.withdrawn_reason = reason.strip()

    return _perform(issue, action=Action.WITHDRAW, by=by, comment=reason, expected_version=expected_version,
                    request=request, apply=apply)


def reopen(issue, *, by, reason, expected_version=None, request=None):
    """已撤回 → 草稿 under the same year and number (撤稿更正后重发), by a signer, with the reason.

    The withdrawal notice stays: the public URL answers 410 until the issue is published again,
    which then needs a public correction note.
    """
    return _perform(issue, action=Action.REOPEN, by=by, comment=reason, expected_version=expected_version,
                    request=request)


def users_with(permission):
    """Active accounts holding `permission` through a role or directly (superusers not spammed)."""
    return get_user_model().objects.with_perm(
        permission, include_superusers=False, backend="django.contrib.auth.backends.ModelBackend"
    )


# Corrections of a published issue and restores of a revision (bulletins/workflow_edits.py).
from .workflow_edits import correct, restore  # noqa: E402,F401
