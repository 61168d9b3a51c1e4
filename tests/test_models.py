import pytest
from django.db import IntegrityError, transaction

from bulletins.models import Issue, SiteSettings

from .factories import make_entry, make_issue

pytestmark = pytest.mark.django_db


def test_issue_year_and_number_are_unique():
    make_issue(year=2023, number=13)
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(year=2023, number=13)


def test_same_number_in_another_year_is_allowed():
    make_issue(year=2023, number=13)
    assert make_issue(year=2024, number=13).pk


def test_issue_number_must_be_positive():
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(year=2023, number=0)


def test_published_issue_needs_a_publish_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Issue.objects.create(year=2023, number=1, status=Issue.Status.PUBLISHED, published_at=None)


def test_title_defaults_to_year_bulletin_name_and_number():
    assert make_issue(year=2023, number=13).title == "2023年文明城市创建(第13期)"


def test_title_follows_the_bulletin_name_setting():
    site = SiteSettings.load()
    site.bulletin_name = "创文动态"
    site.save()
    assert make_issue(year=2024, number=2).title == "2024年创文动态(第2期)"


def test_recent_entry_cannot_carry_a_false_date():
    issue = make_issue()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_entry(issue, date_text="近日", event_date="2023-03-15")


def test_entry_body_is_sanitised_on_save():
    entry = make_entry(make_issue(), body='<p onclick="x()">好<script>alert(1)</script></p>')
    assert entry.body == "<p>好</p>"
    assert entry.plain_text == "好"
