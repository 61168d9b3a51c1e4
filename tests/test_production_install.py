"""A clean production install: mail from the environment, a canonical site URL, deploy warnings."""

import json

import pytest
from django.core import mail

from accounts.checks import outgoing_mail
from accounts.roles import EDITOR, REVIEWER
from bulletins import workflow

from .factories import make_entry, make_issue, make_published_issue, make_staff
from .test_security_settings import PROD_ENV, manage_job, probe_job, run_in_fresh_processes

MAIL_PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps([s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD,
                  s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.SITE_URL]))
"""


RUNS = {
    "mail_over_ssl": probe_job(MAIL_PROBE, EMAIL_HOST="smtp.gov.cn", EMAIL_PORT="465", EMAIL_HOST_USER="wenming",
                               EMAIL_HOST_PASSWORD="s3cret", EMAIL_USE_SSL="1"),
    "mail_tls_and_ssl": probe_job(MAIL_PROBE, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1"),
    "deploy_console_backend": manage_job("check", "--deploy", env={**PROD_ENV, "EMAIL_HOST": ""}),
}


@pytest.fixture(scope="module")
def runs():
    """The production processes of this module, each with its own environment, started together."""
    return dict(zip(RUNS, run_in_fresh_processes(list(RUNS.values())), strict=True))


@pytest.mark.system
def test_production_reads_the_mail_server_from_the_environment(runs):
    result = runs["mail_over_ssl"]
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.gov.cn", 465, "wenming", "s3cret", False, True,
        "https://wenming.example.gov.cn"]


@pytest.mark.system
def test_production_refuses_tls_and_ssl_together(runs):
    result = runs["mail_tls_and_ssl"]
    assert result.returncode != 0 and "只能选一个" in result.stderr


@pytest.mark.system
def test_deploy_check_warns_while_the_console_backend_is_active(runs):
    result = runs["deploy_console_backend"]
    assert "wenming.W102" in result.stderr + result.stdout


def test_deploy_check_warns_without_a_site_url(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.SITE_URL = ""
    assert [warning.id for warning in outgoing_mail(None)] == ["wenming.W103"]


@pytest.mark.django_db
def test_notification_mail_links_to_the_canonical_site_url(settings, rf, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://wenming.example.gov.cn/"
    make_staff(REVIEWER, email="reviewer@example.gov.cn")
    issue = make_issue()
    make_entry(issue)
    request = rf.get("/", HTTP_HOST="10.0.0.5:8001")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(issue, by=make_staff(EDITOR), request=request)
    assert mail.outbox, "the reviewer is notified"
    assert f"https://wenming.example.gov.cn/admin/bulletins/issue/{issue.pk}/change/" in mail.outbox[0].body


@pytest.mark.django_db
def test_feed_links_use_the_canonical_site_url(client, settings):
    settings.SITE_URL = "https://wenming.example.gov.cn"
    make_entry(make_published_issue(year=2023, number=13))
    body = client.get("/feed/atom/", HTTP_HOST="localhost").content.decode()
    assert "https://wenming.example.gov.cn/issues/2023/13/" in body
    assert 'href="https://wenming.example.gov.cn/feed/atom/"' in body
    assert "localhost" not in body
