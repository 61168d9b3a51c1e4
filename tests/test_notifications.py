import pytest
from django.core import mail
from django.db import transaction

from bulletins import workflow
from bulletins.models import Issue, Notification

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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs the block, then what would run once its transaction commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_submit_mails_the_reviewers(office, committed):
    issue = make_issue(created_by=office["editor"])
    with committed():
        workflow.submit(issue, by=office["editor"])
    assert recipients() == ["reviewer@example.cn"]


def test_mail_waits_for_the_commit(office, django_capture_on_commit_callbacks):
    issue = make_issue(created_by=office["editor"])
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.submit(issue, by=office["editor"])
        assert mail.outbox == []
    assert callbacks and mail.outbox == []
    for callback in callbacks:
        callback()
    assert recipients() == ["reviewer@example.cn"]


def test_rolled_back_transition_sends_no_mail(office, django_capture_on_commit_callbacks):
    issue = make_issue(created_by=office["editor"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                workflow.submit(issue, by=office["editor"])
                raise RuntimeError("later step of the same request fails")
    assert callbacks == [] and mail.outbox == []
    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT


def test_pass_mails_the_signers(office, committed):
    issue = make_issue(status=Status.IN_REVIEW)
    with committed():
        workflow.pass_review(issue, by=office["reviewer"])
    assert recipients() == ["signer@example.cn"]


def test_return_mails_the_author_with_the_comment(office, committed):
    issue = make_issue(created_by=office["editor"])
    workflow.submit(issue, by=office["editor"])
    with committed():
        workflow.return_issue(issue, by=office["reviewer"], comment="第二条的职务写错了")
    assert recipients() == ["editor@example.cn"]
    assert "第二条的职务写错了" in mail.outbox[0].body


def test_return_of_an_issue_without_author_mails_the_editors(office, committed):
    issue = make_issue(status=Status.IN_REVIEW)
    with committed():
        workflow.return_issue(issue, by=office["reviewer"], comment="改")
    assert recipients() == ["editor@example.cn"]


def test_publish_mails_the_author(office, committed):
    issue = make_issue(status=Status.AWAITING_SIGNOFF, created_by=office["editor"])
    with committed():
        workflow.publish(issue, by=office["signer"])
    assert recipients() == ["editor@example.cn"]
    assert "已签发发布" in mail.outbox[0].subject


def test_scheduled_publish_mail_names_the_time(office, tomorrow, committed):
    issue = make_issue(status=Status.AWAITING_SIGNOFF, created_by=office["editor"])
    with committed():
        workflow.publish(issue, by=office["signer"], at=tomorrow)
    assert "定时发布" in mail.outbox[0].subject


def test_mail_is_in_chinese_with_the_admin_link(office, committed):
    issue = make_issue(created_by=office["editor"])
    with committed():
        workflow.submit(issue, by=office["editor"])
    message = mail.outbox[0]
    assert message.subject == f"【简报】{issue}请审核"
    assert "王丽于" in message.body and "提交审核" in message.body
    assert f"/admin/bulletins/issue/{issue.pk}/change/" in message.body


def test_the_acting_user_is_not_mailed(office, committed):
    chief = make_staff("审核", "签发", username="chief")
    issue = make_issue(status=Status.IN_REVIEW)
    with committed():
        workflow.pass_review(issue, by=chief)
    assert recipients() == ["signer@example.cn"]


def test_inactive_users_and_users_without_email_are_not_mailed(office, committed):
    make_staff("审核", username="gone", is_active=False)
    make_staff("审核", username="nomail", email="")
    with committed():
        workflow.submit(make_issue(), by=office["editor"])
    assert recipients() == ["reviewer@example.cn"]


def test_refused_transition_sends_no_mail(office, committed):
    with committed():
        with pytest.raises(workflow.WorkflowError):
            workflow.pass_review(make_issue(), by=office["reviewer"])
    assert mail.outbox == []


def test_admin_button_mail_carries_an_absolute_admin_link(client, office, committed):
    from django.urls import reverse

    issue = make_issue(created_by=office["editor"])
    client.force_login(office["editor"])
    with committed():
        client.post(reverse("admin:bulletins_issue_transition", args=[issue.pk, "submit"]), {"version": 1})
    assert f"http://testserver/admin/bulletins/issue/{issue.pk}/change/" in mail.outbox[0].body


def test_next_actors_get_an_unread_in_app_notification(office):
    no_mail = make_staff("审核", username="nomail", email="")
    issue = make_issue(created_by=office["editor"])
    workflow.submit(issue, by=office["editor"])
    notes = Notification.objects.unread().order_by("recipient__username")
    assert [note.recipient for note in notes] == [no_mail, office["reviewer"]]
    assert notes[0].issue == issue and "请审核" in notes[0].text and "王丽" in notes[0].text


def test_return_notification_carries_the_comment(office):
    issue = make_issue(created_by=office["editor"])
    workflow.submit(issue, by=office["editor"])
    workflow.return_issue(issue, by=office["reviewer"], comment="第二条的职务写错了")
    [note] = Notification.objects.for_user(office["editor"])
    assert note.comment == "第二条的职务写错了"


def test_rolled_back_transition_leaves_no_notification(office):
    issue = make_issue(created_by=office["editor"])
    with pytest.raises(RuntimeError), transaction.atomic():
        workflow.submit(issue, by=office["editor"])
        raise RuntimeError
    assert Notification.objects.count() == 0


def test_the_acting_user_gets_no_notification(office):
    chief = make_staff("审核", "签发", username="chief")
    workflow.pass_review(make_issue(status=Status.IN_REVIEW), by=chief)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["signer"]
