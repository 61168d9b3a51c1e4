import pytest
from django.urls import reverse

from bulletins import workflow
from bulletins.models import Issue
from bulletins.templatetags.work_queue import returned_drafts, work_queue

from .factories import make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status


def boxes(user):
    return {title: issues for title, issues, _empty in work_queue(user)}


def test_reviewer_sees_issues_in_review_under_waiting_for_my_review():
    waiting = make_issue(status=Status.IN_REVIEW)
    make_issue(status=Status.AWAITING_SIGNOFF)
    queue = boxes(make_staff("审核"))
    assert queue["待我审核"] == [waiting]
    assert "待我签发" not in queue


def test_signer_sees_issues_awaiting_sign_off():
    waiting = make_issue(status=Status.AWAITING_SIGNOFF)
    queue = boxes(make_staff("签发"))
    assert queue["待我签发"] == [waiting]
    assert "待我审核" not in queue


def test_editor_sees_neither_review_nor_sign_off_box():
    queue = boxes(make_staff("编辑"))
    assert "待我审核" not in queue and "待我签发" not in queue


def test_returned_drafts_carry_the_latest_return_comment():
    editor, reviewer = make_staff("编辑"), make_staff("审核")
    issue = make_issue(created_by=editor)
    workflow.submit(issue, by=editor)
    workflow.return_issue(issue, by=reviewer, comment="第一次意见")
    workflow.submit(issue, by=editor)
    workflow.return_issue(issue, by=reviewer, comment="第二次意见")
    [returned] = returned_drafts(editor)
    assert returned.return_comment == "第二次意见"


def test_resubmitted_draft_is_no_longer_listed_as_returned():
    editor, reviewer = make_staff("编辑"), make_staff("审核")
    issue = make_issue(created_by=editor)
    workflow.submit(issue, by=editor)
    workflow.return_issue(issue, by=reviewer, comment="改")
    workflow.submit(issue, by=editor)
    assert list(returned_drafts(editor)) == []


def test_new_draft_is_not_listed_as_returned():
    make_issue()
    assert list(returned_drafts(make_staff("编辑"))) == []


def test_editors_see_all_returned_drafts_others_only_their_own():
    editor, reviewer, signer = make_staff("编辑"), make_staff("审核"), make_staff("签发")
    theirs = make_issue(created_by=editor)
    workflow.submit(theirs, by=editor)
    workflow.return_issue(theirs, by=reviewer, comment="改")
    assert list(returned_drafts(make_staff("编辑"))) == [theirs]
    assert list(returned_drafts(signer)) == []


def test_scheduled_box_lists_issues_waiting_for_their_publish_time(tomorrow):
    scheduled = make_issue(status=Status.PUBLISHED, published_at=tomorrow)
    make_issue(status=Status.PUBLISHED)
    assert boxes(make_staff("编辑"))["定时发布"] == [scheduled]


def test_user_without_issue_access_gets_no_queue():
    assert work_queue(make_staff("审计员")) == []


def test_admin_index_shows_the_queue_with_links(client):
    issue = make_issue(status=Status.IN_REVIEW)
    client.force_login(make_staff("审核"))
    html = client.get(reverse("admin:index")).content.decode()
    assert "待我审核（1）" in html
    assert f'href="{reverse("admin:bulletins_issue_change", args=[issue.pk])}"' in html


def test_admin_index_shows_the_return_comment(client):
    editor, reviewer = make_staff("编辑"), make_staff("审核")
    issue = make_issue(created_by=editor)
    workflow.submit(issue, by=editor)
    workflow.return_issue(issue, by=reviewer, comment="请补充来源")
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "被退回的稿件（1）" in html and "请补充来源" in html


def test_admin_index_queue_query_count(client, django_assert_max_num_queries):
    for status in (Status.IN_REVIEW, Status.AWAITING_SIGNOFF, Status.DRAFT):
        for _ in range(3):
            make_issue(status=status)
    client.force_login(make_staff("编辑", "审核", "签发"))
    with django_assert_max_num_queries(20):
        client.get(reverse("admin:index"))
