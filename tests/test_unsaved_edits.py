"""A workflow button on a changed page saves the edits first, in the same transaction, or says why not."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from bulletins.models import Entry, Issue

from .factories import issue_change_form_data, make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status
DATED = datetime.datetime(2023, 4, 13, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


def change_url(issue):
    return reverse("admin:bulletins_issue_change", args=[issue.pk])



@pytest.fixture
def in_review():
    issue = make_issue(status=Status.IN_REVIEW, dated_at=DATED)
    make_entry(issue, body="<p>近日，市委召开创文工作推进会。</p>", order=1)
    make_entry(issue, body="<p>近日，各区检查背街小巷。</p>", order=2)
    return issue


def text(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_pass_on_a_changed_page_saves_the_reviewers_edit_then_passes(client, in_review):
    client.force_login(make_staff("审核"))
    data = issue_change_form_data(client, in_review)
    data.update({"entries-0-body": "<p>近日，市委召开创文工作部署会。</p>", "_workflow": "pass", "comment": ""})

    response = client.post(change_url(in_review), data)

    issue = Issue.objects.get(pk=in_review.pk)
    assert response.status_code == 302
    assert issue.status == Status.AWAITING_SIGNOFF
    assert Entry.objects.filter(issue=issue, body="<p>近日，市委召开创文工作部署会。</p>").exists()
    assert "已先保存您在本页的修改。" in text(response)
    assert issue.dated_at == DATED


def test_an_entry_ticked_for_deletion_is_deleted_before_the_transition(client, in_review):
    client.force_login(make_staff("审核"))
    data = issue_change_form_data(client, in_review)
    data.update({"entries-1-DELETE": "on", "_workflow": "pass"})
    client.post(change_url(in_review), data)
    assert list(Entry.objects.filter(issue=in_review).values_list("order", flat=True)) == [1]
    assert Issue.objects.get(pk=in_review.pk).status == Status.AWAITING_SIGNOFF


def test_a_refused_transition_keeps_the_saved_edits_and_says_why(client, in_review):
    client.force_login(make_staff("审核"))
    data = issue_change_form_data(client, in_review)
    data.update({"entries-0-body": "<p>改过的正文。</p>", "_workflow": "return", "comment": ""})

    response = client.post(change_url(in_review), data)

    assert Issue.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    assert Entry.objects.filter(issue=in_review, body="<p>改过的正文。</p>").exists()
    assert any(message.startswith("已保存您的修改，但未能退回修改：退回必须填写意见") for message in text(response))


def test_a_stale_page_saves_nothing_and_performs_no_transition(client, in_review):
    client.force_login(make_staff("审核"))
    data = issue_change_form_data(client, in_review)
    Issue.objects.filter(pk=in_review.pk).update(version=in_review.version + 1)
    data.update({"entries-0-body": "<p>改过的正文。</p>", "_workflow": "pass"})

    response = client.post(change_url(in_review), data)

    assert response.status_code == 200  # the page again, with the conflict notice
    assert "您的修改没有保存" in response.content.decode()
    assert Issue.objects.get(pk=in_review.pk).status == Status.IN_REVIEW
    assert not Entry.objects.filter(body="<p>改过的正文。</p>").exists()


def test_issue_and_entry_pages_load_the_unsaved_edits_script(client, in_review):
    client.force_login(make_staff("审核"))
    entry = in_review.entries.first()
    for url in (change_url(in_review), reverse("admin:bulletins_entry_change", args=[entry.pk])):
        html = client.get(url).content.decode()
        assert "workflow/unsaved-edits.js" in html and "<script>" not in html
