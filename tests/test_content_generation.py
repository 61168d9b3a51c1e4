"""The content generation lives in the database; `bump_content_generation` runs after a restore."""

import pytest
from django.core.management import call_command

from bulletins.models import ContentGeneration, Issue
from bulletins.public_cache import bump_generation, current_generation

from .factories import make_entry, make_published_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = make_published_issue(year=2023, number=13)
    make_entry(issue, body="<p>原来的内容。</p>")
    return issue


def test_the_generation_is_one_database_row():
    generation = current_generation()
    assert ContentGeneration.objects.get().number == generation.number


def test_a_bump_replaces_the_number():
    before = current_generation().number
    bump_generation()
    assert current_generation().number != before


def test_a_restored_database_serves_nothing_from_the_cache_after_the_command(client, issue, capsys):
    assert client.get("/issues/2023/13/").status_code == 200
    # What a restore from an older backup looks like to the cache: rows changed, no signals sent.
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.WITHDRAWN)
    assert client.get("/issues/2023/13/").status_code == 200, "still served from the cache"
    call_command("bump_content_generation")
    assert client.get("/issues/2023/13/").status_code == 410
    assert "新的公开内容版本" in capsys.readouterr().out


def test_a_restored_generation_number_is_never_reused(issue):
    old = current_generation().number
    bump_generation()
    ContentGeneration.objects.update(number=old)  # the backup's number comes back with the restore
    call_command("bump_content_generation", verbosity=0)
    assert current_generation().number not in (old,)
