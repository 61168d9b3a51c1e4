"""Saving the issue page checks each entry's id, 栏目 and 单位 against what the formset read, with the
same answers as Django's fields and without a query per entry (bulletins/admin/preloaded_fields.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bulletins.models import Issue, Section, Unit

from .factories import issue_change_form_data, make_entry, make_issue, make_staff, make_unit

pytestmark = pytest.mark.django_db

SECTIONS = ["领导活动", "单位行动", "一线经验", "同创资讯", "他山之石"]


def draft_with_entries(number, count):
    issue = make_issue(year=2024, number=number, status=Issue.Status.DRAFT)
    for index in range(count):
        entry = make_entry(issue, section_name=SECTIONS[index % 5], body=f"<p>第{index}条。</p>", order=index)
        entry.units.add(make_unit(name=f"单位{number}-{index}", short_names=""))
    return issue


def posted(client, issue, edit="<p>改过的第一条。</p>", **changes):
    """The page posted back with its units, the first body edited, and `changes` on top."""
    data = issue_change_form_data(client, issue)
    for index, entry in enumerate(issue.entries.order_by("pk")):
        data[f"entries-{index}-units"] = [unit.pk for unit in entry.units.all()]
    data["entries-0-body"] = edit
    data.update(changes)
    return data


def save(client, issue, data):
    return client.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data)


@pytest.fixture
def editor(client):
    client.force_login(make_staff("编辑"))
    return client


def queries_to_save(client, issue, edit):
    data = posted(client, issue, edit)
    with CaptureQueriesContext(connection) as queries:
        response = save(client, issue, data)
    assert response.status_code == 302
    return len(queries)


def test_saving_an_issue_of_thirteen_entries_takes_as_many_queries_as_one_of_two(editor):
    small, large = draft_with_entries(1, 2), draft_with_entries(2, 13)
    queries_to_save(editor, large, "<p>一改。</p>")  # also warms per-process caches
    assert queries_to_save(editor, small, "<p>二改。</p>") == queries_to_save(editor, large, "<p>二改。</p>")


def test_an_edited_entry_and_its_units_are_saved_and_the_others_keep_theirs(editor):
    issue = draft_with_entries(3, 3)
    first, second, _ = issue.entries.order_by("pk")
    added = make_unit(name="新加的单位", short_names="")
    response = save(editor, issue, posted(editor, issue, **{"entries-1-units": [added.pk, *second.units.values_list(
        "pk", flat=True)]}))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.body == "<p>改过的第一条。</p>"
    assert set(second.units.values_list("name", flat=True)) == {"新加的单位", "单位3-1"}
    assert list(first.units.values_list("name", flat=True)) == ["单位3-0"]


@pytest.mark.parametrize("field, value", [("section", "99999"), ("units", ["99999"]), ("section", "abc")])
def test_a_section_or_unit_that_does_not_exist_is_still_refused(editor, field, value):
    issue = draft_with_entries(4, 2)
    response = save(editor, issue, posted(editor, issue, **{f"entries-1-{field}": value}))
    assert response.status_code == 200
    errors = response.context["inline_admin_formsets"][0].formset.errors
    assert any(field in form_errors for form_errors in errors)
    assert Section.objects.filter(pk=99999).count() == 0 and Unit.objects.filter(pk=99999).count() == 0


def test_an_entry_of_another_issue_posted_in_the_form_is_not_taken_over(editor):
    issue, other = draft_with_entries(5, 2), draft_with_entries(6, 1)
    stranger = other.entries.get()
    save(editor, issue, posted(editor, issue, **{"entries-1-id": stranger.pk, "entries-1-body": "<p>冒名。</p>"}))
    stranger.refresh_from_db()
    assert stranger.issue == other and stranger.body == "<p>第0条。</p>"
