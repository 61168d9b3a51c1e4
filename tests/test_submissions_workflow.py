"""The states of a submission and who may change them: 草稿 → 已报送 → 已采用 / 未采用 / 退回修改."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import override_settings

from accounts.models import AuditEvent
from accounts.roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER, SIGNER
from bulletins.models import Issue
from bulletins.sanitize import MAX_BODY_CHARS
from submissions import workflow
from submissions.models import Submission, SubmissionTransition

from .factories import make_correspondent, make_issue, make_staff, make_submission, make_unit, section

pytestmark = pytest.mark.django_db
State = Submission.State


@pytest.fixture
def correspondent():
    return make_correspondent(make_unit())


@pytest.fixture
def editor():
    return make_staff(EDITOR)


def test_a_sent_submission_must_have_a_submission_time(correspondent):
    submission = make_submission(correspondent, state="submitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.filter(pk=submission.pk).update(submitted_at=None)


def test_a_submission_must_have_a_title(correspondent):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_submission(correspondent, title="")


def test_the_body_is_sanitised_on_save(correspondent):
    submission = make_submission(correspondent, body='<p onclick="x()">好<script>alert(1)</script></p>')
    assert submission.body == "<p>好</p>"


def test_the_correspondent_submits_a_draft_and_it_is_recorded_and_audited(correspondent):
    submission = make_submission(correspondent)
    record = workflow.submit(submission, by=correspondent)
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED and submission.submitted_at is not None
    assert (record.action, record.from_state, record.to_state, record.by) == ("submit", "draft", "submitted",
                                                                             correspondent)
    assert AuditEvent.objects.filter(action="submission.submit", object_id=str(submission.pk)).exists()


def test_a_correspondent_of_another_unit_may_not_submit(correspondent):
    other = make_correspondent(make_unit(name="市住房和城乡建设局", short_names="市住建局"))
    submission = make_submission(correspondent)
    with pytest.raises(PermissionDenied):
        workflow.submit(submission, by=other)
    submission.refresh_from_db()
    assert submission.state == State.DRAFT


@pytest.mark.parametrize("role", [EDITOR, REVIEWER, SIGNER, ADMINISTRATOR, AUDITOR])
def test_staff_may_not_submit_for_a_unit(correspondent, role):
    with pytest.raises(PermissionDenied):
        workflow.submit(make_submission(correspondent), by=make_staff(role))


def test_a_submitted_piece_cannot_be_submitted_or_edited_again(correspondent):
    submission = make_submission(correspondent, state="submitted")
    with pytest.raises(workflow.SubmissionError):
        workflow.submit(submission, by=correspondent)
    submission.title = "改过的标题"
    with pytest.raises(workflow.SubmissionError):
        workflow.save(submission, by=correspondent)
    assert Submission.objects.get(pk=submission.pk).title != "改过的标题"


@override_settings(SUBMISSIONS_PER_HOUR=2)
def test_a_correspondent_submits_at_most_the_hourly_limit(correspondent):
    for _ in range(2):
        workflow.submit(make_submission(correspondent), by=correspondent)
    third = make_submission(correspondent)
    with pytest.raises(workflow.SubmissionError, match="每小时最多报送 2 篇"):
        workflow.submit(third, by=correspondent)
    third.refresh_from_db()
    assert third.state == State.DRAFT


def test_an_editor_returns_with_a_comment_and_the_correspondent_is_mailed(correspondent, editor,
                                                                         django_capture_on_commit_callbacks):
    submission = make_submission(correspondent, state="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_submission(submission, by=editor, comment="请补充活动时间")
    submission.refresh_from_db()
    assert submission.state == State.RETURNED
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [correspondent.email]
    assert "请补充活动时间" in mail.outbox[0].body and "退回修改" in mail.outbox[0].subject


def test_returning_needs_a_comment(correspondent, editor):
    submission = make_submission(correspondent, state="submitted")
    with pytest.raises(workflow.SubmissionError, match="必须填写意见"):
        workflow.return_submission(submission, by=editor, comment="  ")


def test_a_returned_piece_is_fixed_and_resubmitted(correspondent, editor):
    submission = make_submission(correspondent, state="submitted")
    workflow.return_submission(submission, by=editor, comment="请补充")
    submission.refresh_from_db()
    submission.title = "补充后的标题"
    workflow.save(submission, by=correspondent)
    record = workflow.submit(submission, by=correspondent)
    assert record.action == "resubmit"
    assert list(submission.transitions.order_by("at", "id").values_list("action", flat=True)) == [
        "return", "resubmit"]


def test_an_editor_rejects_with_a_reason(correspondent, editor):
    submission = make_submission(correspondent, state="submitted")
    workflow.reject(submission, by=editor, reason="内容与往期重复")
    submission.refresh_from_db()
    assert submission.state == State.NOT_ADOPTED
    assert submission.transitions.get().comment == "内容与往期重复"


@pytest.mark.parametrize("role", [ADMINISTRATOR, AUDITOR])
def test_only_the_editorial_roles_handle_submissions(correspondent, role):
    submission = make_submission(correspondent, state="submitted")
    with pytest.raises(PermissionDenied):
        workflow.reject(submission, by=make_staff(role), reason="不行")


def test_a_correspondent_cannot_handle_their_own_submission(correspondent):
    submission = make_submission(correspondent, state="submitted")
    with pytest.raises(PermissionDenied):
        workflow.return_submission(submission, by=correspondent, comment="自己退回")


def test_adopting_creates_an_entry_in_the_draft_issue_linked_back(correspondent, editor):
    submission = make_submission(correspondent, state="submitted")
    issue = make_issue()
    entry = workflow.adopt([submission], by=editor, issue=issue, section=section("单位行动"))
    submission.refresh_from_db()
    assert submission.state == State.ADOPTED and submission.entry == entry
    assert entry.issue == issue and entry.section.name == "单位行动"
    assert "志愿者走进社区" in entry.plain_text
    assert list(entry.units.all()) == [correspondent.reporting_unit]


def test_merging_two_submissions_credits_both_units(editor):
    first = make_correspondent(make_unit(name="市残疾人联合会", short_names="市残联"))
    second = make_correspondent(make_unit(name="恩阳区", short_names="", kind="district"))
    a = make_submission(first, state="submitted", body="<p>市残联开展助残活动。</p>")
    b = make_submission(second, state="submitted", body="<p>恩阳区开展文明劝导。</p>")
    entry = workflow.adopt([a, b], by=editor, issue=make_issue(), section=section("单位行动"))
    assert set(entry.units.values_list("name", flat=True)) == {"市残疾人联合会", "恩阳区"}
    assert set(entry.submissions.values_list("pk", flat=True)) == {a.pk, b.pk}
    assert "助残" in entry.plain_text and "文明劝导" in entry.plain_text


def test_adopting_into_an_issue_past_draft_is_refused(correspondent, editor):
    submission = make_submission(correspondent, state="submitted")
    issue = make_issue(status=Issue.Status.IN_REVIEW)
    with pytest.raises(workflow.SubmissionError, match="草稿"):
        workflow.adopt([submission], by=editor, issue=issue, section=section())
    submission.refresh_from_db()
    assert submission.state == State.SUBMITTED and issue.entries.count() == 0


def test_adopting_a_draft_submission_is_refused_and_writes_nothing(correspondent, editor):
    ready = make_submission(correspondent, state="submitted")
    draft = make_submission(correspondent)
    issue = make_issue()
    with pytest.raises(workflow.SubmissionError):
        workflow.adopt([ready, draft], by=editor, issue=issue, section=section())
    assert issue.entries.count() == 0
    assert not SubmissionTransition.objects.exists()


def test_an_adopted_submission_keeps_its_history_when_the_issue_is_withdrawn(correspondent, editor):
    submission = make_submission(correspondent, state="submitted")
    issue = make_issue()
    workflow.adopt([submission], by=editor, issue=issue, section=section())
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.WITHDRAWN)
    submission.refresh_from_db()
    assert submission.state == State.ADOPTED and submission.entry is not None
    assert submission.public_entry_url() is None


# The demo correspondent of `load_initial_data` ------------------------------------------


def test_the_demo_correspondent_and_submissions_are_made_once_in_development(settings, client):
    from io import StringIO

    from django.core.management import call_command

    from accounts.models import User

    settings.DEBUG = True
    output = StringIO()
    call_command("load_initial_data", stdout=output)
    call_command("load_initial_data", stdout=StringIO())
    user = User.objects.get(username="correspondent")
    assert not user.is_staff and user.reporting_unit.short_names.startswith("市残联")
    assert "correspondent" in output.getvalue() and "/portal/" in output.getvalue()
    assert Submission.objects.count() == 4
    assert set(Submission.objects.values_list("state", flat=True)) == {"draft", "submitted", "returned"}
    assert client.login(username="correspondent", password="Wenming-Demo-2026")
    assert "请补充会议的具体部署内容" in client.get("/portal/").content.decode()


def test_no_demo_correspondent_outside_development(settings):
    from io import StringIO

    from django.core.management import call_command

    settings.DEBUG = False
    call_command("load_initial_data", stdout=StringIO())
    assert not Submission.objects.exists()


def test_adopting_submissions_too_long_together_is_refused_in_chinese_and_writes_nothing(correspondent, editor):
    """Each body is within the entry limit on its own; three together were a 500 before."""
    chosen = [make_submission(correspondent, state="submitted", body="<p>" + "文" * 20_000 + "</p>")
              for _ in range(3)]
    issue = make_issue()
    with pytest.raises(workflow.SubmissionError, match=f"这3篇信息合并后正文共60021字符，超过一个条目{MAX_BODY_CHARS}字符"):
        workflow.adopt(chosen, by=editor, issue=issue, section=section())
    assert issue.entries.count() == 0 and not SubmissionTransition.objects.exists()
    assert set(Submission.objects.values_list("state", flat=True)) == {State.SUBMITTED}


def test_a_title_with_line_breaks_is_stored_on_one_line_whoever_saves_it(correspondent):
    submission = make_submission(correspondent, title="市残联\r\nBcc: x@example.com\x0b开展活动")
    submission.refresh_from_db()
    assert submission.title == "市残联 Bcc: x@example.com 开展活动"


def test_a_title_stored_with_a_line_break_before_still_gets_its_mail(correspondent, editor,
                                                                     django_capture_on_commit_callbacks):
    submission = make_submission(correspondent, state="submitted")
    Submission.objects.filter(pk=submission.pk).update(title="市残联\r\n开展活动")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_submission(submission, by=editor, comment="请补充活动时间")
    assert len(mail.outbox) == 1 and "市残联 开展活动" in mail.outbox[0].subject
