import datetime

import pytest
import time_machine
from django.urls import reverse

from bulletins import workflow
from bulletins.models import Issue

from .factories import make_issue, make_staff

pytestmark = pytest.mark.django_db

SIGN_OFF = datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc)
PUBLISH_AT = SIGN_OFF + datetime.timedelta(hours=3)


@pytest.fixture
def scheduled():
    with time_machine.travel(SIGN_OFF, tick=False):
        issue = make_issue(year=2026, number=5, status=Issue.Status.AWAITING_SIGNOFF)
        workflow.publish(issue, by=make_staff("签发"), at=PUBLISH_AT)
    return issue


def test_scheduled_issue_is_hidden_before_its_publish_time(client, scheduled):
    with time_machine.travel(PUBLISH_AT - datetime.timedelta(minutes=1), tick=False):
        assert not Issue.objects.published().filter(pk=scheduled.pk).exists()
        assert client.get(scheduled.get_absolute_url()).status_code == 404
        assert scheduled.title not in client.get(reverse("bulletins:issue_list")).content.decode()


def test_scheduled_issue_appears_by_itself_at_its_publish_time(client, scheduled):
    with time_machine.travel(PUBLISH_AT, tick=False):
        assert Issue.objects.published().filter(pk=scheduled.pk).exists()
        assert client.get(scheduled.get_absolute_url()).status_code == 200
        assert scheduled.title in client.get(reverse("bulletins:issue_list")).content.decode()


def test_admin_list_shows_a_scheduled_issue_as_scheduled_with_its_time(client, scheduled):
    client.force_login(make_staff("签发"))
    with time_machine.travel(SIGN_OFF + datetime.timedelta(hours=1), tick=False):
        html = client.get(reverse("admin:bulletins_issue_changelist")).content.decode()
    assert "定时发布（2026-03-01 20:00）" in html  # 12:00 UTC in Asia/Shanghai


def test_admin_list_shows_published_once_the_time_has_come(client, scheduled):
    client.force_login(make_staff("签发"))
    with time_machine.travel(PUBLISH_AT + datetime.timedelta(hours=1), tick=False):
        html = client.get(reverse("admin:bulletins_issue_changelist")).content.decode()
    assert "定时发布（" not in html
    assert "已发布" in html


def test_issue_page_shows_scheduled_status(client, scheduled):
    client.force_login(make_staff("签发"))
    with time_machine.travel(SIGN_OFF, tick=False):
        html = client.get(reverse("admin:bulletins_issue_change", args=[scheduled.pk])).content.decode()
    assert "定时发布（2026-03-01 20:00）" in html


def test_admin_list_filters_scheduled_issues(client, scheduled):
    make_issue(year=2026, number=6, status=Issue.Status.PUBLISHED, published_at=SIGN_OFF - datetime.timedelta(days=1))
    client.force_login(make_staff("签发"))
    with time_machine.travel(SIGN_OFF, tick=False):
        response = client.get(reverse("admin:bulletins_issue_changelist"), {"visibility": "scheduled"})
    assert list(response.context["cl"].result_list) == [scheduled]
