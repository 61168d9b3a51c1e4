"""Sealed public state (bulletins/seals.py): a row changed in the database past the application —
a withdrawn issue set back to published, a forged snapshot, an edited entry — is not served,
not listed, and is reported by `verify_snapshots`."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from bulletins import workflow
from bulletins.articles import content_hash
from bulletins.models import Issue, SnapshotCheck

from .factories import make_person, make_staff
from .test_audit_roles import acting_as, runtime_role  # noqa: F401  (runtime_role: a fixture)
from .test_snapshots import published, raw, verify

pytestmark = [pytest.mark.django_db, pytest.mark.signed_snapshots]

SIGNER = "签发"
LISTINGS = ["/", "/issues/", "/feed/", "/feed/atom/"]


def withdrawn():
    issue = published(13)
    workflow.withdraw(issue, by=make_staff(SIGNER), reason="领导职务表述有误")
    return issue


def revive(issue):
    """The attacker's one UPDATE (issue §5): the withdrawn issue is published again."""
    raw("UPDATE bulletins_issue SET status = 'published' WHERE id = %s", issue.pk)


def forge_snapshot(issue):
    """A forged copy of the issue's snapshot with its SHA-256 recomputed, inserted and pointed to (§6)."""
    snapshot = issue.snapshot
    detail = snapshot.detail_html.replace("春季义务植树", "伪造的活动")
    print_html = snapshot.print_html.replace("春季义务植树", "伪造的活动")
    sha256 = content_hash(detail, print_html, snapshot.plain_text, snapshot.names)
    raw("INSERT INTO bulletins_issuesnapshot (issue_id, issue_version, revision_id, site_values, names, detail_html,"
        " print_html, plain_text, sha256, signed_by_id, signed_at, created_at)"
        " SELECT issue_id, issue_version, revision_id, site_values, names, %s, %s, plain_text, %s, signed_by_id,"
        " signed_at, created_at FROM bulletins_issuesnapshot WHERE id = %s", detail, print_html, sha256, snapshot.pk)
    raw("UPDATE bulletins_issue SET snapshot_id = (SELECT MAX(id) FROM bulletins_issuesnapshot) WHERE id = %s",
        issue.pk)


# A withdrawn issue set back to published -------------------------------------------------------


@pytest.mark.parametrize("page", ["", "print/", "pdf/"])
def test_a_withdrawn_issue_set_back_to_published_in_the_database_is_not_served(client, page):
    issue = withdrawn()
    assert client.get(f"{issue.get_absolute_url()}{page}").status_code == 410
    revive(issue)
    response = client.get(f"{issue.get_absolute_url()}{page}")
    assert response.status_code == 503 and "本页正在核验" in response.content.decode()
    alert = SnapshotCheck.objects.get()
    assert not alert.passed and "2023年第13期" in alert.problems and "发布状态" in alert.problems


def test_a_withdrawn_issue_set_back_to_published_is_not_listed(client):
    issue = withdrawn()
    published(14)
    revive(issue)
    for url in LISTINGS:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200
        assert "/issues/2023/13/" not in html and "(第13期)" not in html, url
        assert "/issues/2023/14/" in html, url
    assert "2023年第13期" in SnapshotCheck.objects.get().problems


def test_verify_snapshots_reports_a_withdrawn_issue_set_back_to_published():
    issue = withdrawn()
    published(14)
    revive(issue)
    status, output = verify()
    assert status == 1 and "2023年第13期" in output and "2023年第14期" not in output
    assert "（e）" in output and "（f）审计记录中这一期最后一次是撤稿" in output


def test_an_old_seal_copied_back_with_the_status_is_reported_by_verify_snapshots():
    issue = published(13)
    old_seal = Issue.objects.get(pk=issue.pk).public_seal  # read while it was public
    workflow.withdraw(issue, by=make_staff(SIGNER), reason="领导职务表述有误")
    raw("UPDATE bulletins_issue SET status = 'published', public_seal = %s WHERE id = %s", old_seal, issue.pk)
    status, output = verify()
    assert status == 1 and "（f）审计记录中这一期最后一次是撤稿" in output and "（e）" not in output


def test_a_publish_time_moved_forward_in_the_database_is_not_served(client):
    issue = published(13, at=timezone.now() + datetime.timedelta(days=2))
    assert client.get(issue.get_absolute_url()).status_code == 404  # scheduled: not yet public
    assert verify()[0] == 0
    raw("UPDATE bulletins_issue SET published_at = %s WHERE id = %s", timezone.now() - datetime.timedelta(hours=1),
        issue.pk)
    assert client.get(issue.get_absolute_url()).status_code == 503
    status, output = verify()
    assert status == 1 and "（e）" in output and "（f）发布时间与审计记录中的签发发布" in output


def test_a_withdrawal_and_a_republication_through_the_workflow_verify(client):
    signer = make_staff(SIGNER)
    issue = published(13, signer=signer)
    workflow.withdraw(issue, by=signer, reason="数据有误")
    workflow.reopen(issue, by=signer, reason="更正数据")
    colleague = make_staff("编辑", "审核")
    workflow.submit(issue, by=colleague)
    workflow.pass_review(issue, by=colleague)
    workflow.publish(issue, by=signer, correction_note="更正了日期。")
    assert client.get(issue.get_absolute_url()).status_code == 200
    assert verify()[0] == 0


# A forged snapshot -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "print/", "pdf/"])
def test_a_forged_snapshot_with_a_recomputed_hash_is_refused_when_served(client, page):
    issue = published()
    forge_snapshot(issue)
    response = client.get(f"{issue.get_absolute_url()}{page}")
    assert response.status_code == 503 and "伪造的活动" not in response.content.decode()
    assert "发布状态或当前快照与签发记录不符" in SnapshotCheck.objects.get().problems


def test_verify_snapshots_reports_a_forged_snapshot_with_a_recomputed_hash():
    issue = published()
    forge_snapshot(issue)
    status, output = verify()
    assert status == 1 and "（a）" not in output and "（e）" in output and "（f）审计记录中最后一次签发" in output


# Listings read live entries: an edited entry is left out -----------------------------------------


def _listings(issue):
    entry = issue.entries.select_related("section").get()
    person, unit = entry.entry_people.get().person, entry.units.get()
    return ["/", "/feed/", "/feed/atom/", entry.section.get_absolute_url(), f"/people/{person.pk}/",
            f"/units/{unit.pk}/"]


def test_a_direct_edit_of_a_published_entry_does_not_show_in_feeds_or_listings(client):
    issue = published()
    urls = _listings(issue)
    for url in urls:
        assert "春季义务植树" in client.get(url).content.decode(), url  # signed entries are listed
    raw("UPDATE bulletins_entry SET body = %s, plain_text = %s WHERE issue_id = %s",
        "<p>被篡改的内容。</p>", "被篡改的内容。", issue.pk)
    cache.clear()  # the pages cached before the edit have expired
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 and "被篡改的内容" not in response.content.decode(), url
    problems = SnapshotCheck.objects.get().problems
    assert "2023年第13期：条目" in problems and "条目被直接改动" in problems


def test_an_entry_moved_to_another_issue_in_the_database_is_not_listed(client):
    first, second = published(13), published(14)
    entry, own = first.entries.get(), second.entries.get()
    raw("UPDATE bulletins_entry SET issue_id = %s WHERE id = %s", second.pk, entry.pk)
    page = client.get(entry.section.get_absolute_url()).content.decode()
    assert f"#entry-{entry.pk}" not in page and f"#entry-{own.pk}" in page


def test_a_title_or_a_person_changed_in_the_database_is_not_listed_on_the_person_page(client):
    issue = published()
    mention = issue.entries.get().entry_people.get()
    other = make_person(name="王伟")
    raw("INSERT INTO bulletins_entryperson (entry_id, person_id, title_as_written, \"order\", public_seal)"
        " VALUES (%s, %s, %s, 1, %s)", mention.entry_id, other.pk, "市委书记", mention.public_seal)
    raw("UPDATE bulletins_entryperson SET title_as_written = %s WHERE id = %s", "市委书记", mention.pk)
    for person in (mention.person, other):
        page = client.get(f"/people/{person.pk}/").content.decode()
        assert "市委书记" not in page and "春季义务植树" not in page


def test_entries_corrected_through_the_workflow_are_listed(client):
    signer = make_staff(SIGNER)
    issue = published(signer=signer)
    entry = issue.entries.get()
    entry.body = "<p>3月16日，市领导参加秋季义务植树活动。</p>"
    entry.save()
    issue.version += 1
    issue.save()
    workflow.correct(issue, by=signer, note="季节更正。")
    for url in _listings(issue):
        assert "秋季义务植树" in client.get(url).content.decode(), url
    assert not SnapshotCheck.objects.exists()


def test_listings_check_their_seals_without_a_query_per_entry(client, settings, django_assert_max_num_queries):
    settings.PUBLIC_PAGE_CACHE = False
    for number in range(13, 18):
        published(number, entries=3)
    url = published(18).entries.select_related("section").get().section.get_absolute_url()
    client.get(url)
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


# As PostgreSQL's runtime role (docs/deploy.md) -------------------------------------------------

postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")


@postgresql_only
def test_the_runtime_role_cannot_put_a_withdrawn_issue_back_online(client, runtime_role):
    issue = withdrawn()
    with acting_as(runtime_role), connection.cursor() as cursor:
        cursor.execute("UPDATE bulletins_issue SET status = 'published' WHERE id = %s", [issue.pk])
    for url in (issue.get_absolute_url(), issue.get_pdf_url()):
        assert client.get(url).status_code == 503
    for url in LISTINGS:
        assert "/issues/2023/13/" not in client.get(url).content.decode()
    status, output = verify()
    assert status == 1 and "（e）" in output and "（f）" in output


@postgresql_only
def test_a_snapshot_forged_by_the_runtime_role_is_not_served(client, runtime_role):
    issue = published()
    snapshot = issue.snapshot
    detail = snapshot.detail_html.replace("春季义务植树", "伪造的活动")
    sha256 = content_hash(detail, snapshot.print_html, snapshot.plain_text, snapshot.names)
    with acting_as(runtime_role), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bulletins_issuesnapshot (issue_id, issue_version, revision_id, site_values, names,"
            " detail_html, print_html, plain_text, sha256, signed_by_id, signed_at, created_at)"
            " SELECT issue_id, issue_version, revision_id, site_values, names, %s, print_html, plain_text, %s,"
            " signed_by_id, signed_at, created_at FROM bulletins_issuesnapshot WHERE id = %s RETURNING id",
            [detail, sha256, snapshot.pk])
        forged = cursor.fetchone()[0]
        cursor.execute("UPDATE bulletins_issue SET snapshot_id = %s WHERE id = %s", [forged, issue.pk])
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 503 and "伪造的活动" not in response.content.decode()

