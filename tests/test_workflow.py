import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from reversion.models import Version

from accounts.models import AuditEvent
from bulletins import checks, workflow
from bulletins.models import Issue, IssueTransition

from .factories import make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status
EDITOR, REVIEWER, SIGNER = "编辑", "审核", "签发"


def run(action, issue, user, **kwargs):
    if action == "submit":
        return workflow.submit(issue, by=user, **kwargs)
    if action == "pass":
        return workflow.pass_review(issue, by=user, **kwargs)
    if action == "return":
        return workflow.return_issue(issue, by=user, comment=kwargs.pop("comment", "请核对第二条的日期。"), **kwargs)
    if action == "publish":
        return workflow.publish(issue, by=user, **kwargs)
    return workflow.withdraw(issue, by=user, reason=kwargs.pop("reason", "数据有误"), **kwargs)


ALLOWED = [
    ("submit", Status.DRAFT, EDITOR, Status.IN_REVIEW),
    ("pass", Status.IN_REVIEW, REVIEWER, Status.AWAITING_SIGNOFF),
    ("return", Status.IN_REVIEW, REVIEWER, Status.DRAFT),
    ("return", Status.AWAITING_SIGNOFF, SIGNER, Status.DRAFT),
    ("publish", Status.AWAITING_SIGNOFF, SIGNER, Status.PUBLISHED),
    ("withdraw", Status.PUBLISHED, SIGNER, Status.WITHDRAWN),
]

# Right state, wrong role: PermissionDenied (403 in the admin).
REFUSED_ROLE = [
    ("submit", Status.DRAFT, REVIEWER),
    ("submit", Status.DRAFT, SIGNER),
    ("pass", Status.IN_REVIEW, EDITOR),
    ("pass", Status.IN_REVIEW, SIGNER),
    ("return", Status.IN_REVIEW, EDITOR),
    ("return", Status.IN_REVIEW, SIGNER),
    ("return", Status.AWAITING_SIGNOFF, EDITOR),
    ("return", Status.AWAITING_SIGNOFF, REVIEWER),
    ("publish", Status.AWAITING_SIGNOFF, EDITOR),
    ("publish", Status.AWAITING_SIGNOFF, REVIEWER),
    ("withdraw", Status.PUBLISHED, EDITOR),
    ("withdraw", Status.PUBLISHED, REVIEWER),
]

# Right role, wrong state: WorkflowError with a Chinese message.
WRONG_STATE = [
    ("submit", Status.IN_REVIEW, EDITOR),
    ("submit", Status.PUBLISHED, EDITOR),
    ("pass", Status.DRAFT, REVIEWER),
    ("pass", Status.AWAITING_SIGNOFF, REVIEWER),
    ("return", Status.DRAFT, REVIEWER),
    ("return", Status.PUBLISHED, SIGNER),
    ("publish", Status.DRAFT, SIGNER),
    ("publish", Status.IN_REVIEW, SIGNER),
    ("publish", Status.WITHDRAWN, SIGNER),
    ("withdraw", Status.DRAFT, SIGNER),
    ("withdraw", Status.AWAITING_SIGNOFF, SIGNER),
    ("withdraw", Status.WITHDRAWN, SIGNER),
]


def issue_in(status):
    return make_issue(status=status)


@pytest.mark.parametrize("action,status,role,target", ALLOWED)
def test_allowed_transition_moves_the_issue(action, status, role, target):
    issue = issue_in(status)
    run(action, issue, make_staff(role))
    issue.refresh_from_db()
    assert issue.status == target


@pytest.mark.parametrize("action,status,role,target", ALLOWED)
def test_allowed_transition_is_recorded_with_who_from_to_and_comment(action, status, role, target):
    issue, user = issue_in(status), make_staff(role)
    run(action, issue, user)
    record = IssueTransition.objects.get(issue=issue)
    assert (record.action, record.from_status, record.to_status, record.by) == (action, status, target, user)
    if action in ("return", "withdraw"):
        assert record.comment


@pytest.mark.parametrize("action,status,role,target", ALLOWED)
def test_allowed_transition_bumps_version_audits_and_stores_a_revision(action, status, role, target):
    issue, user = issue_in(status), make_staff(role)
    run(action, issue, user)
    issue.refresh_from_db()
    assert issue.version == 2
    assert AuditEvent.objects.filter(action=f"workflow.{action}", user=user, object_id=str(issue.pk)).exists()
    revision = Version.objects.get_for_object(issue).get().revision
    assert revision.user == user
    assert IssueTransition.Action(action).label in revision.comment


@pytest.mark.parametrize("action,status,role", REFUSED_ROLE)
def test_transition_refused_for_a_role_without_the_permission(action, status, role):
    issue = issue_in(status)
    with pytest.raises(PermissionDenied):
        run(action, issue, make_staff(role))
    issue.refresh_from_db()
    assert issue.status == status
    assert issue.version == 1
    assert not IssueTransition.objects.exists()


@pytest.mark.parametrize("action,status,role", WRONG_STATE)
def test_transition_refused_in_the_wrong_state(action, status, role):
    issue = issue_in(status)
    with pytest.raises(workflow.WorkflowError, match="不能"):
        run(action, issue, make_staff(role))
    issue.refresh_from_db()
    assert issue.status == status
    assert issue.version == 1


def test_user_without_any_role_may_do_nothing():
    nobody = make_staff()
    for action, status, _role, _target in ALLOWED:
        with pytest.raises(PermissionDenied):
            run(action, issue_in(status), nobody)


def test_user_with_several_roles_may_do_each_roles_step():
    chief = make_staff(EDITOR, REVIEWER, SIGNER)
    issue = issue_in(Status.DRAFT)
    workflow.submit(issue, by=chief)
    workflow.pass_review(issue, by=chief)
    workflow.publish(issue, by=chief)
    assert Issue.objects.published().filter(pk=issue.pk).exists()


@pytest.mark.parametrize("comment", ["", "   "])
def test_return_needs_a_comment(comment):
    issue = issue_in(Status.IN_REVIEW)
    with pytest.raises(workflow.WorkflowError, match="退回必须填写意见"):
        workflow.return_issue(issue, by=make_staff(REVIEWER), comment=comment)
    issue.refresh_from_db()
    assert issue.status == Status.IN_REVIEW


def test_withdraw_needs_a_reason():
    issue = issue_in(Status.PUBLISHED)
    with pytest.raises(workflow.WorkflowError, match="撤稿必须填写原因"):
        workflow.withdraw(issue, by=make_staff(SIGNER), reason="")
    issue.refresh_from_db()
    assert issue.status == Status.PUBLISHED


def test_withdraw_keeps_the_reason_on_the_issue():
    issue = issue_in(Status.PUBLISHED)
    workflow.withdraw(issue, by=make_staff(SIGNER), reason="领导职务写错")
    issue.refresh_from_db()
    assert issue.withdrawn_reason == "领导职务写错"
    assert not Issue.objects.published().filter(pk=issue.pk).exists()


def test_transition_refused_when_the_state_changed_meanwhile():
    issue = issue_in(Status.IN_REVIEW)
    stale = Issue.objects.get(pk=issue.pk)
    workflow.pass_review(issue, by=make_staff(REVIEWER))
    # The signer's page still shows 待审核; the issue is now 待签发, where a signer could return it.
    with pytest.raises(workflow.WorkflowError, match="已被.*修改"):
        workflow.return_issue(stale, by=make_staff(SIGNER, REVIEWER), comment="重写")
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_SIGNOFF


def test_transition_refused_when_the_expected_version_is_stale():
    issue = issue_in(Status.DRAFT)
    editor = make_staff(EDITOR)
    Issue.objects.filter(pk=issue.pk).update(version=5)
    with pytest.raises(workflow.WorkflowError, match="请刷新页面"):
        workflow.submit(Issue.objects.get(pk=issue.pk), by=editor, expected_version=4)
    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT


def test_transition_updates_the_callers_issue_object():
    issue = issue_in(Status.DRAFT)
    workflow.submit(issue, by=make_staff(EDITOR))
    assert (issue.status, issue.version) == (Status.IN_REVIEW, 2)


def test_publish_now_sets_the_publish_time_to_now():
    issue = issue_in(Status.AWAITING_SIGNOFF)
    before = timezone.now()
    workflow.publish(issue, by=make_staff(SIGNER))
    issue.refresh_from_db()
    assert before <= issue.published_at <= timezone.now()
    assert issue.is_published


def test_publish_at_a_future_time_schedules_the_issue(tomorrow):
    issue = issue_in(Status.AWAITING_SIGNOFF)
    workflow.publish(issue, by=make_staff(SIGNER), at=tomorrow)
    issue.refresh_from_db()
    assert issue.status == Status.PUBLISHED
    assert issue.published_at == tomorrow
    assert issue.is_scheduled


def test_publish_at_a_past_time_is_refused(yesterday):
    issue = issue_in(Status.AWAITING_SIGNOFF)
    with pytest.raises(workflow.WorkflowError, match="时间已经过去"):
        workflow.publish(issue, by=make_staff(SIGNER), at=yesterday)
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_SIGNOFF


BLOCKING = checks.Finding(severity=checks.BLOCKING, message="“陶斌”的职务应为“市委常委、宣传部部长”")
WARNING = checks.Finding(severity=checks.WARNING, message="“近日”条目没有具体日期")


def test_publish_refused_with_blocking_findings(monkeypatch):
    monkeypatch.setattr(checks, "run_checks", lambda issue: [BLOCKING])
    issue = issue_in(Status.AWAITING_SIGNOFF)
    with pytest.raises(workflow.BlockingFindings, match="陶斌"):
        workflow.publish(issue, by=make_staff(SIGNER))
    issue.refresh_from_db()
    assert issue.status == Status.AWAITING_SIGNOFF


def test_the_sign_off_refusal_never_doubles_a_full_stop():
    finding = checks.Finding(severity=checks.BLOCKING, message="人名疑似写错：“陶滨”与登记的“陶斌”只差一个字。")
    message = str(workflow.BlockingFindings([finding, BLOCKING]))
    assert "。。" not in message and "。；" not in message
    assert message.endswith("只差一个字；“陶斌”的职务应为“市委常委、宣传部部长”。请修改后再签发，或填写强制签发理由。")


def test_publish_with_blocking_findings_and_an_override_reason_is_audited(monkeypatch):
    monkeypatch.setattr(checks, "run_checks", lambda issue: [BLOCKING])
    issue, signer = issue_in(Status.AWAITING_SIGNOFF), make_staff(SIGNER)
    workflow.publish(issue, by=signer, override_reason="已与宣传部核实，职务无误")
    issue.refresh_from_db()
    assert issue.status == Status.PUBLISHED
    event = AuditEvent.objects.get(action="workflow.override")
    assert event.user == signer
    assert "已与宣传部核实" in event.detail and "陶斌" in event.detail


def test_submit_returns_findings_as_warnings_and_still_submits(monkeypatch):
    monkeypatch.setattr(checks, "run_checks", lambda issue: [BLOCKING, WARNING])
    issue = issue_in(Status.DRAFT)
    outcome = workflow.submit(issue, by=make_staff(EDITOR))
    assert outcome.findings == [BLOCKING, WARNING]
    assert Issue.objects.get(pk=issue.pk).status == Status.IN_REVIEW


def test_refused_permission_is_audited_as_a_failure():
    issue = issue_in(Status.AWAITING_SIGNOFF)
    editor = make_staff(EDITOR)
    with pytest.raises(PermissionDenied):
        workflow.publish(issue, by=editor)
    assert AuditEvent.objects.filter(action="workflow.publish", user=editor, outcome="failure").exists()


@pytest.mark.parametrize(
    "status,role,editable",
    [
        (Status.DRAFT, EDITOR, True),
        (Status.DRAFT, REVIEWER, False),
        (Status.DRAFT, SIGNER, False),
        (Status.IN_REVIEW, EDITOR, False),
        (Status.IN_REVIEW, REVIEWER, True),
        (Status.IN_REVIEW, SIGNER, False),
        (Status.AWAITING_SIGNOFF, EDITOR, False),
        (Status.AWAITING_SIGNOFF, REVIEWER, False),
        (Status.AWAITING_SIGNOFF, SIGNER, True),
        (Status.PUBLISHED, EDITOR, False),
        (Status.PUBLISHED, REVIEWER, False),
        (Status.PUBLISHED, SIGNER, True),
        (Status.WITHDRAWN, SIGNER, False),
    ],
)
def test_who_may_edit_an_issue_in_each_state(status, role, editable):
    assert workflow.may_edit(make_staff(role), issue_in(status)) is editable


def test_available_transitions_follow_role_and_state():
    issue = issue_in(Status.AWAITING_SIGNOFF)
    assert [t.action for t in workflow.available(make_staff(SIGNER), issue)] == ["return", "publish"]
    assert workflow.available(make_staff(REVIEWER), issue) == []


def test_scheduled_publish_revision_comment_names_the_time():
    issue = issue_in(Status.AWAITING_SIGNOFF)
    at = timezone.now() + datetime.timedelta(days=2)
    workflow.publish(issue, by=make_staff(SIGNER), at=at)
    comment = Version.objects.get_for_object(issue).first().revision.comment
    assert comment.startswith("定时发布")
