import pytest
from django.core.management import call_command

from bulletins.models import Entry, EntryPerson, Issue
from bulletins.search import Filters, parse_query, search

pytestmark = pytest.mark.django_db


@pytest.fixture
def generated():
    call_command("generate_corpus", issues=6, entries_per_issue=10, seed=7, verbosity=0)


def test_generates_the_requested_number_of_issues_and_entries(generated):
    assert Issue.objects.count() == 6
    assert Entry.objects.count() == 60


def test_every_generated_issue_is_published(generated):
    assert Issue.objects.published().count() == 6


def test_generated_issues_have_their_own_date_and_neighbours(generated):
    issue = Issue.objects.order_by("published_at")[2]
    assert issue.dated_at == issue.published_at
    assert issue.newer() is not None and issue.older() is not None


def test_generated_entries_have_realistic_length(generated):
    lengths = [len(text) for text in Entry.objects.values_list("plain_text", flat=True)]
    assert min(lengths) >= 40
    assert 100 <= sum(lengths) / len(lengths) <= 1200


def test_generated_entries_are_searchable(generated):
    results = search(parse_query("创文"), Filters())
    assert len(results) > 0


def test_leader_entries_name_their_person_with_the_title_as_written(generated):
    link = EntryPerson.objects.select_related("person", "entry").first()
    assert link.title_as_written
    assert f"{link.title_as_written}{link.person.name}" in link.entry.plain_text


def test_recent_entries_store_no_false_date(generated):
    assert not Entry.objects.filter(date_text__in=["近日", "日前"], event_date__isnull=False).exists()


@pytest.mark.signed_snapshots  # deletes the generated issues: no test snapshots may hold on to them
def test_the_same_seed_generates_the_same_text(generated):
    first = list(Entry.objects.order_by("id").values_list("plain_text", flat=True))
    Issue.objects.all().delete()
    call_command("generate_corpus", issues=6, entries_per_issue=10, seed=7, verbosity=0)
    assert list(Entry.objects.order_by("id").values_list("plain_text", flat=True)) == first


def test_generating_again_adds_issues_without_clashing_numbers(generated):
    call_command("generate_corpus", issues=6, entries_per_issue=10, seed=8, verbosity=0)
    assert Issue.objects.count() == 12
