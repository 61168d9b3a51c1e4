"""The task queue on the database backend, run by the real worker (wenming/tasks.py)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wenming import tasks

from .factories import make_staff

pytestmark = pytest.mark.django_db(transaction=True)

MESSAGE = ["【简报】2026年第1期请审核", "正文", "wenming@localhost", ["reviewer@example.cn"]]
attempts = []


class RefusingEmailBackend(BaseEmailBackend):
    """A mail server that is down: every send fails."""

    def send_messages(self, messages):
        attempts.append(messages)
        raise ConnectionRefusedError("mail server down")


@pytest.fixture(autouse=True)
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    attempts.clear()


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload", stdout=StringIO(),
                 stderr=StringIO())


def test_mail_enqueued_on_commit_is_sent_by_the_worker():
    with transaction.atomic():
        tasks.enqueue_on_commit(tasks.send_mail, [MESSAGE])
        assert DBTaskResult.objects.count() == 0
    assert DBTaskResult.objects.get().status == "READY"
    run_worker()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert [message.to for message in mail.outbox] == [["reviewer@example.cn"]]


def test_rolled_back_transaction_enqueues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue_on_commit(tasks.send_mail, [MESSAGE])
        raise RuntimeError
    assert DBTaskResult.objects.count() == 0


def test_failed_mail_is_retried_later_and_sent_when_the_server_is_back(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    tasks.send_mail.enqueue([MESSAGE])
    run_worker()
    failed, retry = DBTaskResult.objects.order_by("enqueued_at")
    assert failed.status == "FAILED" and "ConnectionRefusedError" in failed.traceback
    assert retry.status == "READY" and retry.run_after > timezone.now()
    run_worker()  # too early for the retry
    assert len(attempts) == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        run_worker()
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL"
    assert len(mail.outbox) == 1


def test_mail_gives_up_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    tasks.send_mail.enqueue([MESSAGE], attempt=tasks.MAX_ATTEMPTS)
    run_worker()
    assert list(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED"]


def test_administrators_see_failed_runs_in_chinese(client, settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    tasks.send_mail.enqueue([MESSAGE], attempt=tasks.MAX_ATTEMPTS)
    run_worker()
    client.force_login(make_staff("系统管理员"))
    html = client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist") + "?status__exact=FAILED"
                      ).content.decode()
    assert "后台任务" in html and "发送邮件" in html and "失败" in html and "ConnectionRefusedError" in html
    index = client.get(reverse("admin:index")).content.decode()
    assert "任务队列" in index


def test_editors_do_not_see_the_task_queue(client):
    client.force_login(make_staff("编辑"))
    assert client.get(reverse("admin:django_tasks_database_dbtaskresult_changelist")).status_code == 403
