"""Reissue after withdrawal (reopen), the public 更正说明, the one correction path, refusals on record."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from bulletins import workflow
from bulletins.models import Issue, IssueTransition

from .factories import make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db

Status = Issue.Status
EDITOR, REVIEWER, SIGNER = "编辑", "审核", "签发"
ARCHIVE_DATE = datetime.datetime(2023, 4, 13, 10, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))


@pytest.fixture
def signer():
    return make_staff(SIGNER)


@pytest.fixture
def withdrawn(signer):
    issue = make_issue(year=2023, number=13, status=Status.PUBLISHED, dated_at=ARCHIVE_DATE)
    make_entry(issue, body="<p>4月10日，市委召开创文推进会。</p>")
    workflow.withdraw(issue, by=signer, reason="领导职务表述有误")
    return issue


def reissue(issue, signer, *, note="更正了第一条中的领导职务。"):
    """Reopen, then the whole cycle again: submit, pass, publish with a correction note."""
    workflow.reopen(issue, by=signer, reason="更正领导职务")
    workflow.submit(issue, by=make_staff(EDITOR))
    workflow.pass_review(issue, by=make_staff(REVIEWER))
    return workflow.publish(issue, by=signer, correction_note=note)


def failures(action):
    return AuditEvent.objects.filter(action=f"workflow.{action}", outcome="failure")


def test_signer_reopens_a_withdrawn_issue_as_a_draft_under_the_same_number(withdrawn, signer):
    workflow.reopen(withdrawn, by=signer, reason="更正领导职务")
    issue = Issue.objects.get(pk=withdrawn.pk)
    assert (issue.status, issue.year, issue.number) == (Status.DRAFT, 2023, 13)
    record = issue.transitions.first()
    assert (record.action, record.comment, record.by) == (IssueTransition.Action.REOPEN, "更正领导职务", signer)
    assert AuditEvent.objects.filter(action="workflow.reopen", outcome="success", user=signer).exists()


def test_editor_cannot_reopen_and_the_refusal_is_audited(withdrawn):
    editor = make_staff(EDITOR)
    with pytest.raises(PermissionDenied):
        workflow.reopen(withdrawn, by=editor, reason="想改")
    assert Issue.objects.get(pk=withdrawn.pk).status == Status.WITHDRAWN
    assert failures("reopen").filter(user=editor).exists()


def test_published_issue_cannot_be_reopened_and_the_refusal_is_audited(signer):
    issue = make_issue(status=Status.PUBLISHED)
    with pytest.raises(workflow.WorkflowError, match="不能撤稿后重新编辑"):
        workflow.reopen(issue, by=signer, reason="更正")
    assert Issue.objects.get(pk=issue.pk).status == Status.PUBLISHED
    assert failures("reopen").filter(user=signer).exists()


def test_reopen_needs_a_reason(withdrawn, signer):
    with pytest.raises(workflow.WorkflowError, match="必须填写原因"):
        workflow.reopen(withdrawn, by=signer, reason=" ")


def test_public_url_answers_410_while_the_issue_is_reworked(client, withdrawn, signer):
    workflow.reopen(withdrawn, by=signer, reason="更正领导职务")
    workflow.submit(withdrawn, by=make_staff(EDITOR))
    response = client.get("/issues/2023/13/")
    assert response.status_code == 410
    assert "撤回原因：领导职务表述有误" in response.content.decode()


def test_republishing_a_reopened_issue_needs_a_correction_note(withdrawn, signer):
    workflow.reopen(withdrawn, by=signer, reason="更正领导职务")
    workflow.submit(withdrawn, by=make_staff(EDITOR))
    workflow.pass_review(withdrawn, by=make_staff(REVIEWER))
    with pytest.raises(workflow.WorkflowError, match="更正说明"):
        workflow.publish(withdrawn, by=signer)


def test_republished_issue_answers_200_with_the_correction_note_under_the_title(client, withdrawn, signer):
    reissue(withdrawn, signer)
    response = client.get("/issues/2023/13/")
    html = response.content.decode()
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert f"更正说明</strong>（<time" in html and f">{today}</time>）：更正了第一条中的领导职务。" in html
    assert html.index("更正说明") > html.index('id="issue-title"')


def test_republished_issue_keeps_its_own_date(client, withdrawn, signer):
    reissue(withdrawn, signer)
    assert Issue.objects.get(pk=withdrawn.pk).dated_at == ARCHIVE_DATE
    assert "2023-04-13 10:30:00" in client.get("/issues/2023/13/").content.decode()


def test_history_tells_the_whole_story_of_a_reissue(withdrawn, signer):
    reissue(withdrawn, signer)
    actions = list(Issue.objects.get(pk=withdrawn.pk).transitions.order_by("at", "id").values_list("action", flat=True))
    assert actions[-5:] == ["withdraw", "reopen", "submit", "pass", "publish"]


def test_correct_records_the_transition_audit_and_public_note(signer):
    issue = make_issue(status=Status.PUBLISHED)
    workflow.correct(issue, by=signer, note="更正了一处错别字。")
    issue.refresh_from_db()
    assert issue.correction_note == "更正了一处错别字。" and issue.corrected_at is not None
    assert issue.transitions.filter(action=IssueTransition.Action.CORRECT).exists()
    assert AuditEvent.objects.filter(action="workflow.correct", outcome="success", user=signer).exists()


def test_correct_refuses_an_issue_that_is_not_published(signer):
    with pytest.raises(workflow.WorkflowError):
        workflow.correct(make_issue(), by=signer)


def test_correct_by_someone_without_the_signing_right_is_refused_and_audited():
    reviewer = make_staff(REVIEWER)
    with pytest.raises(PermissionDenied):
        workflow.correct(make_issue(status=Status.PUBLISHED), by=reviewer)
    assert failures("correct").filter(user=reviewer).exists()


def test_scheduled_is_signed_but_not_yet_public(now, tomorrow, yesterday):
    later = make_issue(status=Status.PUBLISHED, published_at=tomorrow)
    make_issue(status=Status.PUBLISHED, published_at=yesterday)
    make_issue()
    assert list(Issue.objects.scheduled()) == [later]


# Through the admin: both correction paths, refused transitions --------------------------


def test_correcting_from_the_issue_page_writes_the_audit_event_and_the_public_note(client, signer):
    client.force_login(signer)
    issue = make_issue(status=Status.PUBLISHED)
    data = {
        "year": issue.year, "number": issue.number, "title": issue.title, "source": "更正后的来源",
        "dated_at_0": "2023-04-13", "dated_at_1": "10:30:00", "expected_version": issue.version,
        "public_correction_note": "来源有误，已更正。",
        "entries-TOTAL_FORMS": 0, "entries-INITIAL_FORMS": 0, "entries-MIN_NUM_FORMS": 0, "entries-MAX_NUM_FORMS": 1000,
    }
    assert client.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data).status_code == 302
    issue.refresh_from_db()
    assert issue.source == "更正后的来源" and issue.correction_note == "来源有误，已更正。"
    assert AuditEvent.objects.filter(action="workflow.correct", user=signer, object_id=str(issue.pk)).count() == 1


def test_correcting_from_the_entry_page_writes_the_audit_event(client, signer):
    client.force_login(signer)
    issue = make_issue(status=Status.PUBLISHED)
    entry = make_entry(issue)
    data = {
        "issue": issue.pk, "section": entry.section_id, "order": 0, "date_text": "近日", "event_date": "",
        "body": "<p>近日，市委召开创文工作推进会（更正）。</p>", "expected_issue_version": issue.version,
        "entry_people-TOTAL_FORMS": 0, "entry_people-INITIAL_FORMS": 0, "entry_people-MIN_NUM_FORMS": 0,
        "entry_people-MAX_NUM_FORMS": 1000,
    }
    response = client.post(reverse("admin:bulletins_entry_change", args=[entry.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert AuditEvent.objects.filter(action="workflow.correct", user=signer, object_id=str(issue.pk)).count() == 1
    assert issue.transitions.filter(action=IssueTransition.Action.CORRECT).exists()


def test_refused_return_is_audited(client):
    reviewer = make_staff(REVIEWER)
    client.force_login(reviewer)
    issue = make_issue(status=Status.AWAITING_SIGNOFF)
    url = reverse("admin:bulletins_issue_transition", args=[issue.pk, "return"])
    assert client.post(url, {"version": issue.version, "comment": "改"}).status_code == 403
    assert failures("return").filter(user=reviewer, object_id=str(issue.pk)).exists()


def test_refused_transition_in_the_wrong_state_is_audited(client, signer):
    client.force_login(signer)
    issue = make_issue()
    url = reverse("admin:bulletins_issue_transition", args=[issue.pk, "publish"])
    client.post(url, {"version": issue.version, "when": "now"})
    assert Issue.objects.get(pk=issue.pk).status == Status.DRAFT
    assert failures("publish").filter(user=signer, object_id=str(issue.pk)).exists()


def test_reopen_button_is_offered_to_a_signer_on_a_withdrawn_issue(client, withdrawn, signer):
    client.force_login(signer)
    html = client.get(reverse("admin:bulletins_issue_change", args=[withdrawn.pk])).content.decode()
    assert 'name="transition" value="reopen"' in html
    url = reverse("admin:bulletins_issue_transition", args=[withdrawn.pk, "reopen"])
    client.post(url, {"version": withdrawn.version, "comment": "更正领导职务"})
    assert Issue.objects.get(pk=withdrawn.pk).status == Status.DRAFT
