"""Emails to the people who act next after a workflow transition (Django's email backend)."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.urls import reverse
from django.utils import timezone

from .models import IssueTransition
from .site_url import absolute_url

logger = logging.getLogger(__name__)
Action = IssueTransition.Action

NEXT_STEP = {
    Action.SUBMIT: "请审核",
    Action.PASS: "请签发",
    Action.RETURN: "已被退回，请按意见修改后重新提交",
    Action.PUBLISH: "已签发发布",
    Action.WITHDRAW: "已撤稿",
    Action.RESTORE: "已恢复为旧版本（草稿）",
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
    return [user for user in users.exclude(pk=record.by_id).exclude(email="").order_by("pk")]


def admin_url(issue, request=None):
    return absolute_url(reverse("admin:bulletins_issue_change", args=[issue.pk]), request)


def message_for(record, request=None):
    issue = record.issue
    step = NEXT_STEP[record.action]
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


def notify(record, *, request=None):
    """Send the emails; a mail failure is logged and never undoes the transition."""
    users = recipients_for(record)
    if not users:
        return []
    subject, body = message_for(record, request)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users]
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # noqa: BLE001 - any transport error
        logger.exception("workflow notification for issue %s failed", record.issue_id)
    return users
