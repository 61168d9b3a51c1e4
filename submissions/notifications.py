"""Mail to the correspondent after an editor acts on their submission.

Queued on the task queue once the transaction commits (wenming.tasks), so a rolled-back change
mails nobody and a slow or failing mail server never slows or undoes the change (the task retries;
failures show in the admin). The portal lists the same changes (SubmissionTransition) in-app.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from bulletins.sanitize import single_line
from bulletins.site_url import absolute_url
from wenming import tasks


def message_for(record):
    submission = record.submission
    # One line even for a title stored before titles were: a line break makes Django refuse the header.
    subject = f"【信息报送】《{single_line(submission.title)}》{record.get_to_state_display()}"
    lines = [
        f"{record.by.display_name}于 {timezone.localtime(record.at):%Y-%m-%d %H:%M} "
        f"对《{submission.title}》执行了“{record.get_action_display()}”"
        f"（{record.get_from_state_display()} → {record.get_to_state_display()}）。",
    ]
    if record.comment:
        lines.append(f"意见：{record.comment}")
    url = absolute_url(reverse("portal:detail", args=[submission.pk]))
    lines += ["", f"请登录报送平台查看：{url}", "", "（本邮件由系统自动发送，请勿回复。）"]
    return subject, "\n".join(lines)


def notify_on_commit(record):
    recipient = record.submission.created_by
    if not recipient.is_active or not recipient.email:
        return
    subject, body = message_for(record)
    tasks.enqueue_on_commit(tasks.send_mail, [(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])])
