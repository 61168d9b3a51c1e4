import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent
from bulletins import recycle_bin, workflow
from bulletins.models import DeletedIssue, Entry, EntryPerson, Issue, IssueTransition

from .factories import make_entry, make_issue, make_person, make_staff, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_staff("编辑", username="editor")


@pytest.fixture
def draft(editor):
    """A returned draft with two entries, a person (title as written) and a unit."""
    issue = make_issue(created_by=editor, title="2026年文明城市创建(第3期)")
    first = make_entry(issue, body="<p>陶斌调研。</p>", order=0)
    make_entry(issue, body="<p>第二条。</p>", order=1)
    EntryPerson.objects.create(entry=first, person=make_person(name="陶斌"), title_as_written="市委常委、宣传部部长")
    first.units.add(make_unit("市残疾人联合会", "市残联"))
    workflow.submit(issue, by=editor)
    workflow.return_issue(issue, by=make_staff("审核"), comment="请补充来源")
    return Issue.objects.get(pk=issue.pk)


def delete(client, user, issue):
    client.force_login(user)
    return client.post(reverse("admin:bulletins_issue_delete", args=[issue.pk]), {"post": "yes"})


def test_deleting_a_draft_puts_it_in_the_recycle_bin(client, editor, draft):
    assert delete(client, editor, draft).status_code == 302
    assert not Issue.objects.filter(pk=draft.pk).exists()
    kept = DeletedIssue.objects.get()
    assert (kept.issue_id, kept.year, kept.number, kept.entry_count) == (draft.pk, draft.year, draft.number, 2)
    assert kept.deleted_by == editor and kept.created_by == editor


def test_delete_page_says_the_draft_goes_to_the_recycle_bin_for_30_days(client, editor, draft):
    client.force_login(editor)
    page = client.get(reverse("admin:bulletins_issue_delete", args=[draft.pk])).content.decode()
    assert "回收站" in page and f"保留 {recycle_bin.KEEP_DAYS} 天" in page and recycle_bin.KEEP_DAYS == 30


def test_recovery_brings_back_entries_people_units_and_workflow_record(client, editor, draft):
    delete(client, editor, draft)
    issue = recycle_bin.recover(DeletedIssue.objects.get(), by=editor)
    assert issue.pk == draft.pk and issue.status == Issue.Status.DRAFT and issue.title == draft.title
    assert list(issue.entries.values_list("body", flat=True)) == ["<p>陶斌调研。</p>", "<p>第二条。</p>"]
    link = EntryPerson.objects.get(entry__issue=issue)
    assert (link.person.name, link.title_as_written) == ("陶斌", "市委常委、宣传部部长")
    assert [unit.name for unit in Entry.objects.get(issue=issue, order=0).units.all()] == ["市残疾人联合会"]
    assert list(issue.transitions.values_list("comment", flat=True)) == ["请补充来源", ""]
    assert DeletedIssue.objects.count() == 0


def test_recovery_is_audited(client, editor, draft):
    delete(client, editor, draft)
    recycle_bin.recover(DeletedIssue.objects.get(), by=editor)
    event = AuditEvent.objects.get(action="issue.recover")
    assert event.user == editor and event.object_id == str(draft.pk) and "共 2 条条目" in event.detail


def test_a_signer_may_recover_any_deleted_draft(client, editor, draft):
    delete(client, editor, draft)
    assert recycle_bin.recover(DeletedIssue.objects.get(), by=make_staff("签发")).pk == draft.pk


def test_another_editor_or_a_reviewer_may_not_recover(client, editor, draft):
    from django.core.exceptions import PermissionDenied

    delete(client, editor, draft)
    kept = DeletedIssue.objects.get()
    for user in (make_staff("编辑", username="other"), make_staff("审核", username="r2")):
        with pytest.raises(PermissionDenied):
            recycle_bin.recover(kept, by=user)
        assert list(recycle_bin.visible_to(user)) == []
    assert AuditEvent.objects.filter(action="issue.recover", outcome="failure").count() == 2
    assert not Issue.objects.filter(pk=draft.pk).exists()


def test_recovery_is_refused_when_the_number_was_taken_again(client, editor, draft):
    delete(client, editor, draft)
    make_issue(year=draft.year, number=draft.number)
    with pytest.raises(recycle_bin.RecycleBinError, match="已经存在"):
        recycle_bin.recover(DeletedIssue.objects.get(), by=editor)
    assert DeletedIssue.objects.count() == 1


def test_after_30_days_a_deleted_draft_cannot_be_recovered_and_is_purged(client, editor, draft):
    delete(client, editor, draft)
    kept = DeletedIssue.objects.get()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=29, hours=23)):
        assert list(recycle_bin.visible_to(editor)) == [kept]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30, minutes=1)):
        assert list(recycle_bin.visible_to(editor)) == []
        with pytest.raises(recycle_bin.RecycleBinError, match="已不在回收站"):
            recycle_bin.recover(kept, by=editor)
        client.force_login(editor)
        client.get(reverse("bulletins_admin:recycle_bin"))
    assert DeletedIssue.objects.count() == 0
    assert AuditEvent.objects.get(action="issue.purge").detail.startswith(draft.title)


def test_recycle_bin_page_lists_and_recovers(client, editor, draft):
    delete(client, editor, draft)
    page = client.get(reverse("bulletins_admin:recycle_bin")).content.decode()
    assert draft.title in page and "恢复" in page
    kept = DeletedIssue.objects.get()
    response = client.post(reverse("bulletins_admin:recycle_bin_recover", args=[kept.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:bulletins_issue_change", args=[draft.pk])
    assert "已从回收站恢复" in response.content.decode()


def test_recovering_twice_shows_a_message(client, editor, draft):
    delete(client, editor, draft)
    kept = DeletedIssue.objects.get()
    url = reverse("bulletins_admin:recycle_bin_recover", args=[kept.pk])
    client.post(url)
    assert client.post(url).status_code == 404


def test_recover_needs_post(client, editor, draft):
    delete(client, editor, draft)
    kept = DeletedIssue.objects.get()
    assert client.get(reverse("bulletins_admin:recycle_bin_recover", args=[kept.pk])).status_code == 405


def test_recovered_draft_has_a_revision_and_its_history(client, editor, draft):
    from bulletins.revisions import versions_of

    delete(client, editor, draft)
    issue = recycle_bin.recover(DeletedIssue.objects.get(), by=editor)
    assert versions_of(issue).first().revision.comment.startswith("从回收站恢复")
    assert IssueTransition.objects.filter(issue=issue).count() == 2
