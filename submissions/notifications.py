"""Mail to the correspondent after an editor acts on their submission (Django's email backend).

Sent after the transaction commits (`transaction.on_commit`), so a rolled-back change mails
nobody; a mail failure is logged and never undoes the change. The portal lists the same
changes (SubmissionTransition) as the in-app record.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

logger = logging.getLogger(__name__)


def message_for(record):
    submission = record.submission
    subject = f"【信息报送】《{submission.title}》{record.get_to_state_display()}"
    lines = [
        f"{record.by.display_name}于 {timezone.localtime(record.at):%Y-%m-%d %H:%M} "
        f"对《{submission.title}》执行了“{record.get_action_display()}”"
        f"（{record.get_from_state_display()} → {record.get_to_state_display()}）。",
    ]
    if record.comment:
        lines.append(f"意见：{record.comment}")
    url = getattr(settings, "SITE_URL", "").rstrip("/") + reverse("portal:detail", args=[submission.pk])
    lines += ["", f"请登录报送平台查看：{url}", "", "（本邮件由系统自动发送，请勿回复。）"]
    return subject, "\n".join(lines)


def _send(record):
    recipient = record.submission.created_by
    if not recipient.is_active or not recipient.email:
        return
    subject, body = message_for(record)
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email], fail_silently=False)
    except Exception:  # noqa: BLE001 - any transport error
        logger.exception("submission notification for %s failed", record.submission_id)


def notify_on_commit(record):
    transaction.on_commit(lambda: _send(record))
