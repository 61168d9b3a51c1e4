import pytest
from django.core import mail

from bulletins import workflow
from bulletins.models import Issue

from .factories import make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status


@pytest.fixture
def office():
    return {
        "editor": make_staff("编辑", username="editor", real_name="王丽"),
        "reviewer": make_staff("审核", username="reviewer"),
        "signer": make_staff("签发", username="signer"),
    }


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_submit_mails_the_reviewers(office):
    issue = make_issue(created_by=office["editor"])
    workflow.submit(issue, by=office["editor"])
    assert recipients() == ["reviewer@example.cn"]


def test_pass_mails_the_signers(office):
    issue = make_issue(status=Status.IN_REVIEW)
    workflow.pass_review(issue, by=office["reviewer"])
    assert recipients() == ["signer@example.cn"]


def test_return_mails_the_author_with_the_comment(office):
    issue = make_issue(created_by=office["editor"])
    workflow.submit(issue, by=office["editor"])
    mail.outbox.clear()
    workflow.return_issue(issue, by=office["reviewer"], comment="第二条的职务写错了")
    assert recipients() == ["editor@example.cn"]
    assert "第二条的职务写错了" in mail.outbox[0].body


def test_return_of_an_issue_without_author_mails_the_editors(office):
    issue = make_issue(status=Status.IN_REVIEW)
    workflow.return_issue(issue, by=office["reviewer"], comment="改")
    assert recipients() == ["editor@example.cn"]


def test_publish_mails_the_author(office):
    issue = make_issue(status=Status.AWAITING_SIGNOFF, created_by=office["editor"])
    workflow.publish(issue, by=office["signer"])
    assert recipients() == ["editor@example.cn"]
    assert "已签发发布" in mail.outbox[0].subject


def test_scheduled_publish_mail_names_the_time(office, tomorrow):
    issue = make_issue(status=Status.AWAITING_SIGNOFF, created_by=office["editor"])
    workflow.publish(issue, by=office["signer"], at=tomorrow)
    assert "定时发布" in mail.outbox[0].subject


def test_mail_is_in_chinese_with_the_admin_link(office):
    issue = make_issue(created_by=office["editor"])
    workflow.submit(issue, by=office["editor"])
    message = mail.outbox[0]
    assert message.subject == f"【简报】{issue}请审核"
    assert "王丽于" in message.body and "提交审核" in message.body
    assert f"/admin/bulletins/issue/{issue.pk}/change/" in message.body


def test_the_acting_user_is_not_mailed(office):
    chief = make_staff("审核", "签发", username="chief")
    issue = make_issue(status=Status.IN_REVIEW)
    workflow.pass_review(issue, by=chief)
    assert recipients() == ["signer@example.cn"]


def test_inactive_users_and_users_without_email_are_not_mailed(office):
    make_staff("审核", username="gone", is_active=False)
    make_staff("审核", username="nomail", email="")
    workflow.submit(make_issue(), by=office["editor"])
    assert recipients() == ["reviewer@example.cn"]


def test_refused_transition_sends_no_mail(office):
    with pytest.raises(workflow.WorkflowError):
        workflow.pass_review(make_issue(), by=office["reviewer"])
    assert mail.outbox == []


def test_admin_button_mail_carries_an_absolute_admin_link(client, office):
    from django.urls import reverse

    issue = make_issue(created_by=office["editor"])
    client.force_login(office["editor"])
    client.post(reverse("admin:bulletins_issue_transition", args=[issue.pk, "submit"]), {"version": 1})
    assert f"http://testserver/admin/bulletins/issue/{issue.pk}/change/" in mail.outbox[0].body
