"""The task queue: Django's tasks framework (the `django-tasks` backport) on the project's database.

Production runs `manage.py db_worker` beside the web server (docs/deploy.md); `make run` starts it
with the development server. Tests use the immediate backend, so a task runs as soon as it is
enqueued; tests of the queue itself switch to the database backend and run the worker in batch mode.

Work that must only happen once a transaction has committed (mail about a workflow step) is
enqueued with `enqueue_on_commit`: a rolled-back transaction enqueues nothing. A task that fails
is retried with `retry` (a new queued run after a growing delay) and the failed run stays in the
admin (后台任务) with its traceback, so administrators see every failure.
"""

import datetime
import logging
from functools import partial

from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

# Runs of a task before it gives up, and the delay before the second, third, … run.
MAX_ATTEMPTS = 5
RETRY_DELAYS = [datetime.timedelta(minutes=1), datetime.timedelta(minutes=5), datetime.timedelta(minutes=30),
                datetime.timedelta(hours=2)]


def enqueue_on_commit(task_, *args, **kwargs):
    """Enqueue `task_` once the current transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(task_.enqueue, *args, **kwargs))


def retry(task_, attempt, *args, **kwargs):
    """Queue run `attempt + 1` of `task_` after a delay; False when the attempts are used up."""
    if attempt >= MAX_ATTEMPTS:
        return False
    if task_.get_backend().supports_defer:
        delay = RETRY_DELAYS[min(attempt, len(RETRY_DELAYS)) - 1]
        task_ = task_.using(run_after=timezone.now() + delay)
    task_.enqueue(*args, attempt=attempt + 1, **kwargs)
    return True


@task()
def send_mail(messages, attempt=1):
    """Send `messages`, a list of (subject, body, from, [to, …]); retried when the transport fails."""
    try:
        return send_mass_mail([tuple(message) for message in messages], fail_silently=False)
    except Exception:
        # The run fails (and shows in the admin with its traceback) whether or not it is retried.
        if not retry(send_mail, attempt, messages):
            logger.error("mail to %s not sent after %d attempts", [m[3] for m in messages], attempt)
        raise
