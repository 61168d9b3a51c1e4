import pytest
from django.urls import reverse

from bulletins import workflow
from bulletins.models import Issue
from bulletins.workbench import SHOWN, returned_drafts, workbench

from .factories import make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status


def boxes(user):
    return {box.title: box for box in workbench(user)}


def listed(user):
    return {title: box.issues for title, box in boxes(user).items()}


def returned(issue, *, editor, reviewer, comment="改"):
    workflow.submit(issue, by=editor)
    workflow.return_issue(issue, by=reviewer, comment=comment)
    return issue


def test_editor_sees_own_drafts_but_not_others():
    editor = make_staff("编辑")
    mine = make_issue(created_by=editor)
    make_issue(created_by=make_staff("编辑", username="other"))
    assert listed(editor)["我的草稿"] == [mine]


def test_returned_draft_is_listed_as_returned_not_among_my_drafts():
    editor, reviewer = make_staff("编辑"), make_staff("审核")
    issue = returned(make_issue(created_by=editor), editor=editor, reviewer=reviewer)
    queue = listed(editor)
    assert queue["被退回的稿件"] == [issue] and queue["我的草稿"] == []


def test_reviewer_sees_issues_in_review_under_waiting_for_my_review():
    waiting = make_issue(status=Status.IN_REVIEW)
    queue = listed(make_staff("审核"))
    assert queue["待我审核"] == [waiting]
    assert "待我签发" not in queue and "我的草稿" not in queue


def test_signer_sees_issues_awaiting_sign_off():
    waiting = make_issue(status=Status.AWAITING_SIGNOFF)
    assert listed(make_staff("签发"))["待我签发"] == [waiting]


def test_editor_follows_issues_in_review_and_awaiting_sign_off():
    in_review, awaiting = make_issue(status=Status.IN_REVIEW), make_issue(status=Status.AWAITING_SIGNOFF)
    queue = listed(make_staff("编辑"))
    assert queue["审核中"] == [in_review] and queue["待签发"] == [awaiting]


def test_withdrawn_box_lists_withdrawn_issues():
    withdrawn = make_issue(status=Status.WITHDRAWN, withdrawn_reason="数据有误")
    assert listed(make_staff("签发"))["已撤回"] == [withdrawn]


def test_returned_drafts_carry_the_latest_return_comment():
    editor, reviewer = make_staff("编辑"), make_staff("审核")
    issue = returned(make_issue(created_by=editor), editor=editor, reviewer=reviewer, comment="第一次意见")
    returned(issue, editor=editor, reviewer=reviewer, comment="第二次意见")
    [draft] = returned_drafts(editor)
    assert draft.latest_comment == "第二次意见"


def test_resubmitted_draft_is_no_longer_listed_as_returned():
    editor, reviewer = make_staff("编辑"), make_staff("审核")
    issue = returned(make_issue(created_by=editor), editor=editor, reviewer=reviewer)
    workflow.submit(issue, by=editor)
    assert list(returned_drafts(editor)) == []


def test_editors_see_all_returned_drafts_others_only_their_own():
    editor, reviewer, signer = make_staff("编辑"), make_staff("审核"), make_staff("签发")
    theirs = returned(make_issue(created_by=editor), editor=editor, reviewer=reviewer)
    assert list(returned_drafts(make_staff("编辑", username="colleague"))) == [theirs]
    assert list(returned_drafts(signer)) == []


def test_scheduled_box_lists_issues_waiting_for_their_publish_time(tomorrow):
    scheduled = make_issue(status=Status.PUBLISHED, published_at=tomorrow)
    make_issue(status=Status.PUBLISHED)
    assert listed(make_staff("编辑"))["定时发布"] == [scheduled]


def test_counts_are_true_totals_beyond_the_listed_rows():
    for _ in range(SHOWN + 5):
        make_issue(status=Status.IN_REVIEW)
    box = boxes(make_staff("审核"))["待我审核"]
    assert box.count == SHOWN + 5 and len(box.issues) == SHOWN and box.has_more


def test_user_without_issue_access_gets_no_queue():
    assert workbench(make_staff("审计员")) == []


def test_admin_index_shows_the_queue_with_links(client):
    issue = make_issue(status=Status.IN_REVIEW)
    client.force_login(make_staff("审核"))
    html = client.get(reverse("admin:index")).content.decode()
    assert "待我审核（1）" in html
    assert f'href="{reverse("admin:bulletins_issue_change", args=[issue.pk])}"' in html


def test_admin_index_shows_the_return_comment_and_withdrawal_reason(client):
    editor, reviewer = make_staff("编辑"), make_staff("审核")
    returned(make_issue(created_by=editor), editor=editor, reviewer=reviewer, comment="请补充来源")
    make_issue(status=Status.WITHDRAWN, withdrawn_reason="领导职务有误")
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert "被退回的稿件（1）" in html and "请补充来源" in html
    assert "已撤回（1）" in html and "领导职务有误" in html


def test_admin_index_links_to_the_whole_box_when_it_is_longer_than_shown(client):
    for _ in range(SHOWN + 1):
        make_issue(status=Status.AWAITING_SIGNOFF)
    client.force_login(make_staff("签发"))
    html = client.get(reverse("admin:index")).content.decode()
    assert f"待我签发（{SHOWN + 1}）" in html
    assert "?status__exact=awaiting_signoff" in html


def test_admin_index_query_count_does_not_grow_with_data(client, django_assert_max_num_queries, tomorrow):
    user = make_staff("编辑", "审核", "签发")
    reviewer = make_staff("审核", username="r")

    def add_issues():
        for status in (Status.IN_REVIEW, Status.AWAITING_SIGNOFF, Status.WITHDRAWN):
            make_issue(status=status)
        make_issue(created_by=user)
        make_issue(status=Status.PUBLISHED, published_at=tomorrow)
        returned(make_issue(created_by=user), editor=user, reviewer=reviewer)

    add_issues()
    client.force_login(user)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("admin:index"))
    for _ in range(4):
        add_issues()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("admin:index"))
