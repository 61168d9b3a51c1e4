"""What keeps a signed page and its snapshot together: deletions through the admin, bounded alert
records, and a verification that reports an unreadable revision instead of stopping."""

import pytest
from django.db import connection

from bulletins.models import Entry, SnapshotCheck, Unit

from .factories import make_staff, make_user
from .test_snapshots import published, raw, verify

pytestmark = [pytest.mark.django_db, pytest.mark.signed_snapshots]


def test_deleting_an_entry_of_a_published_issue_signs_a_correction(client):
    issue = published(entries=2)
    first = issue.snapshot
    doomed = issue.entries.get(order=1)
    client.force_login(make_staff("签发"))
    response = client.post(f"/admin/bulletins/entry/{doomed.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.snapshot != first and "第1条" not in issue.snapshot.detail_html
    assert client.get(issue.get_absolute_url()).content.decode().count("第1条") == 0
    assert verify()[0] == 0  # no false alarm: the public page and the live rows agree


def test_deleting_entries_with_the_bulk_action_is_checked_per_issue(client):
    issue = published(entries=2)
    client.force_login(make_staff("编辑"))
    response = client.post("/admin/bulletins/entry/", {
        "action": "delete_selected", "_selected_action": [entry.pk for entry in issue.entries.all()], "post": "yes"})
    assert response.status_code == 403
    assert issue.entries.count() == 2
    client.force_login(make_staff("签发"))
    response = client.post("/admin/bulletins/entry/", {
        "action": "delete_selected", "_selected_action": [issue.entries.get(order=1).pk], "post": "yes"})
    assert response.status_code == 302 and issue.entries.count() == 1
    assert verify()[0] == 0


def test_a_unit_named_in_a_published_issue_is_not_deleted(client):
    issue = published()
    unit = issue.entries.get().units.get()
    client.force_login(make_user("admin", is_staff=True, is_superuser=True))
    page = client.get(f"/admin/bulletins/unit/{unit.pk}/delete/").content.decode()
    assert f"单位“{unit.name}”出现在已发布的2023年第13期1期中" in page
    client.post(f"/admin/bulletins/unit/{unit.pk}/delete/", {"post": "yes"})
    assert Unit.objects.filter(pk=unit.pk).exists() and verify()[0] == 0
    spare = Unit.objects.create(name="未出现的单位")
    client.post(f"/admin/bulletins/unit/{spare.pk}/delete/", {"post": "yes"})
    assert not Unit.objects.filter(pk=spare.pk).exists()


def test_broken_pages_visited_in_turn_record_each_problem_once(client):
    first, second = published(13), published(14)
    for issue in (first, second):
        raw("UPDATE bulletins_issuesnapshot SET detail_html = %s WHERE id = %s", "<p>被篡改</p>", issue.snapshot_id)
    for _ in range(3):
        for issue in (first, second):
            assert client.get(issue.get_absolute_url()).status_code == 503
    assert SnapshotCheck.objects.count() == 2
    latest = SnapshotCheck.objects.order_by("-id").first()
    assert "2023年第13期" in latest.problems and "2023年第14期" in latest.problems  # the alert shows both


def test_an_unreadable_signed_revision_is_reported_not_a_traceback():
    issue = published()
    raw("UPDATE reversion_version SET serialized_data = %s WHERE revision_id = %s",
        "not json", issue.snapshot.revision_id)
    status, output = verify()
    assert status == 1 and "（d）" in output and "2023年第13期" in output
    assert Entry.objects.filter(issue=issue).exists() and connection.vendor in ("sqlite", "postgresql")
