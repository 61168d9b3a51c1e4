"""Two editors open the same issue; the second save is refused and nothing is overwritten."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Entry, Issue

from .factories import issue_change_form_data, make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db



@pytest.fixture
def two_editors():
    first, second = Client(), Client()
    alice = make_staff("编辑", username="alice", real_name="王丽")
    bob = make_staff("编辑", username="bob", real_name="李军")
    first.force_login(alice)
    second.force_login(bob)
    return first, second


@pytest.fixture
def issue():
    issue = make_issue(source="市创文办")
    make_entry(issue, body="<p>市委召开创文工作推进会。</p>")
    return issue


def test_version_is_posted_as_a_hidden_field(client, issue):
    client.force_login(make_staff("编辑"))
    html = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    assert 'type="hidden" name="expected_version" value="1"' in html


def test_second_save_is_refused_and_the_first_is_kept(two_editors, issue):
    first, second = two_editors
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    data_first, data_second = issue_change_form_data(first, issue), issue_change_form_data(second, issue)
    assert first.post(url, {**data_first, "source": "王丽的来源"}).status_code == 302
    response = second.post(url, {**data_second, "source": "李军的来源"})
    assert response.status_code == 200
    issue.refresh_from_db()
    assert issue.source == "王丽的来源"
    assert issue.version == 2


def test_refusal_names_who_changed_it_and_when_with_a_reload_link(two_editors, issue):
    first, second = two_editors
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    data_first, data_second = issue_change_form_data(first, issue), issue_change_form_data(second, issue)
    first.post(url, data_first)
    html = second.post(url, data_second).content.decode()
    issue.refresh_from_db()
    assert "王丽于" in html
    assert f"{timezone.localtime(issue.updated_at):%Y-%m-%d %H:%M}" in html
    assert f'<a href="{url}">重新载入最新内容</a>' in html


def test_entries_changed_in_the_second_save_are_not_written_either(two_editors, issue):
    first, second = two_editors
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    data_first, data_second = issue_change_form_data(first, issue), issue_change_form_data(second, issue)
    first.post(url, {**data_first, "entries-0-body": "<p>王丽改的正文。</p>"})
    second.post(url, {**data_second, "entries-0-body": "<p>李军改的正文。</p>"})
    assert Entry.objects.get(issue=issue).plain_text == "王丽改的正文。"


def test_save_after_a_transition_meanwhile_is_refused(two_editors, issue):
    from bulletins import workflow

    first, _ = two_editors
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    data = issue_change_form_data(first, issue)
    workflow.submit(Issue.objects.get(pk=issue.pk), by=make_staff("编辑"))
    workflow.return_issue(Issue.objects.get(pk=issue.pk), by=make_staff("审核"), comment="再改改")
    response = first.post(url, {**data, "source": "旧页面上的修改"})
    assert response.status_code == 200
    assert Issue.objects.get(pk=issue.pk).source == "市创文办"


def test_transition_button_from_a_stale_page_is_refused(two_editors, issue):
    first, second = two_editors
    url = reverse("admin:bulletins_issue_change", args=[issue.pk])
    second.post(url, issue_change_form_data(second, issue))  # version 1 -> 2
    response = first.post(reverse("admin:bulletins_issue_transition", args=[issue.pk, "submit"]), {"version": 1},
                          follow=True)
    assert "李军于" in response.content.decode()
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT


def test_list_action_rereads_the_state_under_lock():
    from bulletins import workflow

    reviewer, other = Client(), make_staff("审核")
    reviewer.force_login(make_staff("审核"))
    issue = make_issue(status=Issue.Status.IN_REVIEW)
    workflow.return_issue(Issue.objects.get(pk=issue.pk), by=other, comment="先退回")
    response = reviewer.post(reverse("admin:bulletins_issue_changelist"),
                             {"action": "pass_selected", ACTION_CHECKBOX_NAME: [issue.pk], "index": 0}, follow=True)
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.DRAFT
    assert "不能通过审核" in response.content.decode()


def entry_data(client, entry):
    response = client.get(reverse("admin:bulletins_entry_change", args=[entry.pk]))
    form = response.context["adminform"].form
    return {"issue": entry.issue_id, "section": entry.section_id, "order": entry.order, "body": entry.body,
            "date_text": "", "event_date": "", "expected_issue_version": form["expected_issue_version"].value(),
            "entry_people-TOTAL_FORMS": 0, "entry_people-INITIAL_FORMS": 0, "entry_people-MIN_NUM_FORMS": 0,
            "entry_people-MAX_NUM_FORMS": 1000}


def test_second_save_on_the_entry_page_is_refused(two_editors, issue):
    first, second = two_editors
    entry = issue.entries.get()
    url = reverse("admin:bulletins_entry_change", args=[entry.pk])
    data_first, data_second = entry_data(first, entry), entry_data(second, entry)
    assert first.post(url, {**data_first, "body": "<p>王丽改的正文。</p>"}).status_code == 302
    response = second.post(url, {**data_second, "body": "<p>李军改的正文。</p>"})
    assert response.status_code == 200
    assert "重新载入最新内容" in response.content.decode()
    assert Entry.objects.get(pk=entry.pk).plain_text == "王丽改的正文。"


def test_entry_page_save_makes_the_open_issue_page_stale(two_editors, issue):
    first, second = two_editors
    entry = issue.entries.get()
    issue_data = issue_change_form_data(first, issue)
    second.post(reverse("admin:bulletins_entry_change", args=[entry.pk]), entry_data(second, entry))
    response = first.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), {**issue_data, "source": "旧页"})
    assert response.status_code == 200
    assert Issue.objects.get(pk=issue.pk).source == "市创文办"


def test_entry_page_save_stores_a_revision_of_the_issue(two_editors, issue):
    from bulletins.revisions import versions_of

    _, second = two_editors
    entry = issue.entries.get()
    second.post(reverse("admin:bulletins_entry_change", args=[entry.pk]), entry_data(second, entry))
    assert versions_of(issue).get().revision.comment == "修改条目"


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_transitions_only_one_wins():
    import threading

    from django.db import connection

    from bulletins import workflow

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    issue = make_issue(status=Issue.Status.IN_REVIEW)
    reviewers = [make_staff("审核"), make_staff("审核")]
    results, start = [], threading.Barrier(2)

    def act(user, action):
        stale = Issue.objects.get(pk=issue.pk)
        start.wait()
        try:
            if action == "pass":
                workflow.pass_review(stale, by=user)
            else:
                workflow.return_issue(stale, by=user, comment="退回")
            results.append("done")
        except workflow.WorkflowError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(reviewers[0], "pass")),
               threading.Thread(target=act, args=(reviewers[1], "return"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["done", "refused"]
    assert Issue.objects.get(pk=issue.pk).version == 2
