"""Telling the people who act next after a workflow transition: an in-app notification (站内通知)
for each, and mail, sent by the task queue once the transition's transaction commits."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from wenming import tasks

from .models import IssueTransition, Notification

Action = IssueTransition.Action

NEXT_STEP = {
    Action.SUBMIT: "请审核",
    Action.PASS: "请签发",
    Action.RETURN: "已被退回，请按意见修改后重新提交",
    Action.PUBLISH: "已签发发布",
    Action.WITHDRAW: "已撤稿",
    Action.RESTORE: "已恢复为旧版本（草稿）",
    Action.REOPEN: "已撤稿后重新编辑（草稿），请按原因修改后重新提交",
}


def _authors(issue):
    """The people who wrote the issue: its creator and everyone who submitted it."""
    ids = set(issue.transitions.filter(action=Action.SUBMIT).values_list("by_id", flat=True))
    if issue.created_by_id:
        ids.add(issue.created_by_id)
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


def recipients_for(record):
    """Who acts next: reviewers after submit, signers after pass, the authors otherwise."""
    from .workflow import REVIEW, SIGN, SUBMIT, users_with

    if record.action == Action.SUBMIT:
        users = users_with(REVIEW)
    elif record.action == Action.PASS:
        users = users_with(SIGN)
    else:
        users = _authors(record.issue)
        if record.action == Action.RETURN and not users.exists():
            users = users_with(SUBMIT)
    return list(users.exclude(pk=record.by_id).order_by("pk"))


def admin_url(issue, request=None):
    path = reverse("admin:bulletins_issue_change", args=[issue.pk])
    if request is not None:
        return request.build_absolute_uri(path)
    return getattr(settings, "SITE_URL", "").rstrip("/") + path


def message_for(record, request=None):
    issue = record.issue
    step = NEXT_STEP.get(record.action, record.get_action_display())
    if record.action == Action.PUBLISH and issue.is_scheduled:
        step = f"已签发，将于 {timezone.localtime(issue.published_at):%Y-%m-%d %H:%M} 定时发布"
    subject = f"【简报】{issue}{step}"
    lines = [
        f"{record.by.display_name}于 {timezone.localtime(record.at):%Y-%m-%d %H:%M} "
        f"对《{issue}》执行了“{record.get_action_display()}”"
        f"（{record.get_from_status_display()} → {record.get_to_status_display()}）。",
    ]
    if record.comment:
        lines.append(f"意见：{record.comment}")
    lines += ["", f"请登录后台查看：{admin_url(issue, request)}", "", "（本邮件由系统自动发送，请勿回复。）"]
    return subject, "\n".join(lines)


def in_app_text(record):
    step = NEXT_STEP.get(record.action, record.get_action_display())
    if record.action == Action.PUBLISH and record.issue.is_scheduled:
        step = "已签发，定时发布"
    return f"《{record.issue}》{step}（{record.by.display_name}{record.get_action_display()}）"


def notify(record, *, request=None):
    """Notify the next actors in the app now, and queue their mail for after the commit.

    A rollback takes both back; the worker retries a failed send, and the transition itself
    never waits for or fails on mail.
    """
    users = recipients_for(record)
    text = in_app_text(record)
    Notification.objects.bulk_create(
        [Notification(recipient=user, issue=record.issue, text=text, comment=record.comment) for user in users]
    )
    mailed = [user for user in users if user.email]
    if mailed:
        subject, body = message_for(record, request)
        messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in mailed]
        tasks.enqueue_on_commit(tasks.send_mail, messages)
    return users
