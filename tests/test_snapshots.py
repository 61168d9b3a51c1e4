"""Signed snapshots: written by every publishing path, served by the public pages, never changed."""

import datetime
import io
import json
import logging

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuditEvent
from bulletins import workflow
from bulletins.importer.parser import parse_text
from bulletins.importer.writer import import_issue
from bulletins.models import Issue, IssueSnapshot, Section, SnapshotCheck, SnapshotIsImmutable
from bulletins.snapshots import stored_hash

from .factories import link_person, make_entry, make_issue, make_person, make_staff, make_unit

pytestmark = [pytest.mark.django_db, pytest.mark.signed_snapshots]

SIGNER = "签发"
BODY = "<p>3月15日，市领导参加春季义务植树活动。</p>"


def raw(sql, *params):
    """Tamper as the database's owner would, past the ORM and the triggers."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def published(number=13, *, entries=1, signer=None, at=None):
    """An issue taken through the workflow to 已发布, with linked people and units."""
    signer = signer or make_staff(SIGNER)
    issue = make_issue(year=2023, number=number, status=Issue.Status.AWAITING_SIGNOFF, source="市创文办")
    for index in range(entries):
        entry = make_entry(issue, body=f"<p>第{index}条：市领导参加植树活动。</p>" if index else BODY, order=index)
        link_person(entry, make_person(name=f"高鹏{number}{index}"), title_as_written="市长")
        entry.units.add(make_unit(name=f"市残联{number}-{index}", short_names=""))
    workflow.publish(issue, by=signer, at=at)
    issue.refresh_from_db()
    return issue


# Writing ---------------------------------------------------------------------------------


def test_publishing_signs_a_snapshot_named_in_the_audit_log():
    signer = make_staff(SIGNER)
    issue = published(signer=signer)
    snapshot = issue.snapshot
    assert snapshot is not None and snapshot.issue == issue and snapshot.issue_version == issue.version
    assert snapshot.signed_by == signer and snapshot.revision is not None
    assert "市领导参加春季义务植树活动" in snapshot.detail_html and "高鹏130" in snapshot.detail_html
    assert "市残联13-0" in snapshot.detail_html and "masthead-title" in snapshot.print_html
    assert "【领导活动】" in snapshot.plain_text and "<p>" not in snapshot.plain_text
    assert stored_hash(snapshot) == snapshot.sha256
    event = AuditEvent.objects.get(action="snapshot.sign", object_id=str(issue.pk))
    assert snapshot.sha256 in event.detail and f"版本 {issue.version}" in event.detail and "2023年第13期" in event.detail
    assert event.user == signer


def test_a_scheduled_issue_is_signed_at_the_publish_action(client):
    issue = published(at=timezone.now() + datetime.timedelta(hours=2))
    assert issue.is_scheduled and issue.snapshot is not None
    assert client.get(issue.get_absolute_url()).status_code == 404  # not public before its time


def test_a_correction_signs_a_new_snapshot(client):
    signer = make_staff(SIGNER)
    issue = published(signer=signer)
    first = issue.snapshot
    entry = issue.entries.get()
    entry.body = "<p>3月16日，市领导参加春季义务植树活动。</p>"
    entry.save()
    issue.version += 1
    issue.save()
    workflow.correct(issue, by=signer, note="日期更正为3月16日。")
    issue.refresh_from_db()
    assert issue.snapshot != first and IssueSnapshot.objects.filter(issue=issue).count() == 2
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "3月16日" in page and "日期更正为3月16日。" in page


def test_correcting_in_the_admin_signs_with_the_revision_of_that_save(client):
    from django.urls import reverse

    from .factories import issue_change_form_data

    signer = make_staff(SIGNER)
    issue = published(signer=signer)
    client.force_login(signer)
    data = issue_change_form_data(client, issue)
    data.update({"entries-0-body": "<p>3月16日，市领导参加春季义务植树活动。</p>", "public_correction_note": "日期更正。"})
    assert client.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data).status_code == 302
    issue.refresh_from_db()
    snapshot = issue.snapshot
    assert snapshot.issue_version == issue.version and "3月16日" in snapshot.detail_html
    assert snapshot.revision.version_set.filter(object_id=str(issue.pk)).exists()
    assert verify()[0] == 0


def test_publishing_from_the_admin_issue_page_signs_a_verified_snapshot(client):
    from django.urls import reverse

    from .factories import issue_change_form_data

    signer = make_staff(SIGNER)
    issue = make_issue(year=2023, number=13, status=Issue.Status.AWAITING_SIGNOFF)
    make_entry(issue, body=BODY)
    client.force_login(signer)
    data = {**issue_change_form_data(client, issue), "_workflow": "publish"}
    client.post(reverse("admin:bulletins_issue_change", args=[issue.pk]), data)
    issue.refresh_from_db()
    assert issue.status == Issue.Status.PUBLISHED and issue.snapshot is not None
    assert verify()[0] == 0


def test_withdrawal_keeps_the_snapshots_and_the_page_answers_410_until_republished(client):
    signer = make_staff(SIGNER)
    issue = published(signer=signer)
    workflow.withdraw(issue, by=signer, reason="数据有误")
    assert client.get(issue.get_absolute_url()).status_code == 410
    assert IssueSnapshot.objects.filter(issue=issue).count() == 1
    workflow.reopen(issue, by=signer, reason="更正数据")
    colleague = make_staff("编辑", "审核")
    workflow.submit(issue, by=colleague)
    workflow.pass_review(issue, by=colleague)
    workflow.publish(issue, by=signer, correction_note="更正了第一条的日期。")
    issue.refresh_from_db()
    assert IssueSnapshot.objects.filter(issue=issue).count() == 2
    assert "更正了第一条的日期。" in issue.snapshot.detail_html
    assert client.get(issue.get_absolute_url()).status_code == 200


def test_importing_a_published_issue_signs_it(settings):
    text = (settings.BASE_DIR / "bulletins" / "fixtures" / "bulletin-2023-13.txt").read_text(encoding="utf-8")
    issue = import_issue(parse_text(text), status=Issue.Status.PUBLISHED)
    issue.refresh_from_db()
    assert issue.snapshot is not None and issue.snapshot.revision is not None
    assert AuditEvent.objects.filter(action="snapshot.sign", object_id=str(issue.pk)).exists()
    call_command("verify_snapshots")


def test_a_snapshot_is_never_changed_through_the_orm():
    snapshot = published().snapshot
    snapshot.detail_html = "<p>改动</p>"
    with pytest.raises(SnapshotIsImmutable):
        snapshot.save()
    with pytest.raises(SnapshotIsImmutable):
        snapshot.delete()
    with pytest.raises(SnapshotIsImmutable):
        IssueSnapshot.objects.update(detail_html="x")
    with pytest.raises(SnapshotIsImmutable):
        IssueSnapshot.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
@pytest.mark.parametrize("sql", ["UPDATE bulletins_issuesnapshot SET detail_html = 'x'",
                                 "DELETE FROM bulletins_issuesnapshot"])
def test_the_database_refuses_to_change_a_snapshot(sql):
    published()
    with pytest.raises(DatabaseError, match="签发快照不能修改或删除"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="roles are PostgreSQL's")
def test_the_runtime_role_signs_snapshots_but_cannot_change_them():
    from .test_audit_roles import acting_as, refused

    role = f"{connection.settings_dict['NAME']}_runtime"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {connection.ops.quote_name(role)}")
    call_command("grant_runtime_role", role, stdout=io.StringIO())
    with acting_as(role):
        issue = published()
        assert issue.snapshot is not None
        for sql in ["UPDATE bulletins_issuesnapshot SET detail_html = 'x'", "TRUNCATE bulletins_issuesnapshot",
                    "ALTER TABLE bulletins_issuesnapshot DISABLE TRIGGER bulletins_issuesnapshot_immutable"]:
            message = refused(sql)
            assert "permission denied" in message or "must be owner" in message


# Serving ---------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["", "print/"])
def test_the_public_page_serves_the_snapshot_not_the_live_rows(client, page):
    issue = published()
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", "<p>被篡改的内容。</p>", issue.pk)
    response = client.get(f"{issue.get_absolute_url()}{page}")
    assert response.status_code == 200
    text = response.content.decode()
    assert "被篡改的内容" not in text and "市领导参加春季义务植树活动" in text


def test_the_pdf_is_rendered_from_the_snapshot(client, monkeypatch):
    from bulletins import pdf

    seen = []
    monkeypatch.setattr(pdf, "render_pdf", lambda issue, *args, **kwargs: seen.append(kwargs["print_html"]) or b"%PDF")
    issue = published()
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", "<p>被篡改的内容。</p>", issue.pk)
    assert client.get(issue.get_pdf_url()).status_code == 200
    assert seen == [issue.snapshot.print_html]


@pytest.mark.parametrize("page", ["", "print/", "pdf/"])
def test_a_snapshot_whose_hash_does_not_match_is_not_served(client, page, caplog):
    issue = published()
    raw("UPDATE bulletins_issuesnapshot SET detail_html = %s, print_html = %s WHERE id = %s",
        "<p>被篡改</p>", "<p>被篡改</p>", issue.snapshot_id)
    with caplog.at_level(logging.ERROR, logger="bulletins.snapshots"):
        response = client.get(f"{issue.get_absolute_url()}{page}")
    assert response.status_code == 503
    text = response.content.decode()
    assert "本页正在核验" in text and "被篡改" not in text
    assert "no-store" in response["Cache-Control"]
    assert any("2023年第13期" in record.getMessage() for record in caplog.records)
    alert = SnapshotCheck.objects.get()
    assert not alert.passed and "2023年第13期" in alert.problems
    client.get(f"{issue.get_absolute_url()}{page}")
    assert SnapshotCheck.objects.count() == 1  # the same problem is recorded once


def test_editors_preview_an_unpublished_issue_rendered_live(client):
    issue = make_issue(year=2023, number=14, status=Issue.Status.AWAITING_SIGNOFF)
    make_entry(issue, body="<p>待签发的条目。</p>")
    client.force_login(make_staff(SIGNER))
    response = client.get(issue.get_absolute_url())
    assert response.status_code == 200 and "待签发的条目" in response.content.decode()
    assert not IssueSnapshot.objects.exists()


def _detail_queries(client, issue):
    client.get(issue.get_absolute_url())  # site settings and navigation are cached apart from the pages
    with CaptureQueriesContext(connection) as queries:
        response = client.get(issue.get_absolute_url())
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def test_an_uncached_published_page_reads_the_issue_and_its_snapshot_in_one_query(client, settings):
    settings.PUBLIC_PAGE_CACHE = False
    small = published(13, entries=2)
    large = published(14, entries=20)
    for number in range(15, 20):
        published(number)
    small_queries, large_queries = _detail_queries(client, small), _detail_queries(client, large)
    # The page numbers (content generation and the issue's stamp), then the issue with its
    # snapshot; the newer and older issue are kept under the issue's stamp.
    assert len(small_queries) == len(large_queries) == 2
    assert not any("bulletins_entry" in sql for sql in large_queries)
    assert sum("bulletins_issuesnapshot" in sql for sql in large_queries) == 1


# Verifying -------------------------------------------------------------------------------


def verify():
    """(exit status, output) of manage.py verify_snapshots."""
    from io import StringIO

    from django.core.management.base import CommandError

    out, err = StringIO(), StringIO()
    try:
        call_command("verify_snapshots", stdout=out, stderr=err)
    except CommandError as error:
        return 1, err.getvalue() + str(error)
    return 0, out.getvalue()


def test_untouched_snapshots_verify():
    published(13)
    published(14, entries=3)
    status, output = verify()
    assert status == 0 and "共 2 期" in output
    assert SnapshotCheck.objects.get().passed


def test_a_direct_edit_of_an_entry_is_caught_and_named():
    issue = published()
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", "<p>被篡改的内容。</p>", issue.pk)
    status, output = verify()
    assert status == 1 and "2023年第13期" in output and "（c）" in output
    assert "（a）" not in output and "（b）" not in output and "（d）" not in output


def test_a_snapshot_edited_without_its_hash_is_caught():
    issue = published()
    raw("UPDATE bulletins_issuesnapshot SET detail_html = %s WHERE id = %s", "<p>被篡改</p>", issue.snapshot_id)
    status, output = verify()
    assert status == 1 and "2023年第13期" in output and "（a）" in output


def test_a_snapshot_edited_with_its_hash_recomputed_is_caught():
    from bulletins.articles import content_hash

    issue = published()
    snapshot = issue.snapshot
    forged = snapshot.detail_html.replace("春季义务植树", "秋季义务植树")
    raw("UPDATE bulletins_issuesnapshot SET detail_html = %s, sha256 = %s WHERE id = %s",
        forged, content_hash(forged, snapshot.print_html, snapshot.plain_text, snapshot.names), snapshot.pk)
    status, output = verify()
    assert status == 1 and "2023年第13期" in output
    assert "（a）" not in output and "（b）" in output and "（c）" in output and "（d）" in output


def test_an_edited_audit_record_of_the_signing_is_caught():
    issue = published()
    event = AuditEvent.objects.get(action="snapshot.sign", object_id=str(issue.pk))
    raw("UPDATE accounts_auditevent SET detail = %s WHERE id = %s", event.detail.replace("版本", "版次"), event.pk)
    status, output = verify()
    assert status == 1 and "2023年第13期" in output and "（b）" in output and str(event.pk) in output
    raw("UPDATE accounts_auditevent SET detail = %s WHERE id = %s", "已删除", event.pk)
    status, output = verify()
    assert status == 1 and "（b）审计记录中没有这份快照的签发哈希" in output


# Registry renames: a normal edit, not a tampering ---------------------------------------------


def _rename(issue):
    """Rename the section, the person and the unit the issue shows, as the registry's editors do."""
    entry = issue.entries.select_related("section").get()
    section, person, unit = entry.section, entry.entry_people.get().person, entry.units.get()
    for obj, name in ((section, "领导动态"), (person, "高朋"), (unit, "市残疾人联合会")):
        obj.name = name
        obj.save()
    return section, person, unit


def test_the_snapshot_keeps_the_registry_names_as_signed():
    issue = published()
    entry = issue.entries.get()
    names = issue.snapshot.names
    assert names["sections"] == {str(entry.section_id): "领导活动"}
    assert names["people"] == {str(entry.entry_people.get().person_id): "高鹏130"}
    assert names["units"] == {str(entry.units.get().pk): "市残联13-0"}


def test_renaming_a_section_a_person_or_a_unit_raises_no_alarm(client):
    issue = published()
    _rename(issue)
    status, output = verify()
    assert status == 0, output
    assert SnapshotCheck.objects.get().passed
    page = client.get(issue.get_absolute_url()).content.decode()
    assert "高鹏130" in page and "市残联13-0" in page and "高朋" not in page  # the page as signed


def test_after_a_rename_an_entry_body_edit_is_still_caught():
    issue = published()
    _rename(issue)
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", "<p>被篡改的内容。</p>", issue.pk)
    status, output = verify()
    assert status == 1 and "2023年第13期" in output and "（c）" in output and "（a）" not in output


def test_reordering_the_sections_raises_no_alarm_and_the_page_keeps_its_signed_order(client):
    issue = published()
    make_entry(issue, section_name="单位行动", body="<p>第二个栏目的条目。</p>", order=1)
    workflow.correct(issue, by=make_staff(SIGNER), note="补充一条。")
    issue.refresh_from_db()
    first, second = (Section.objects.get(name=name) for name in ("领导活动", "单位行动"))
    assert issue.snapshot.names["section_order"] == [str(first.pk), str(second.pk)]
    Section.objects.filter(pk=first.pk).update(order=second.order + 10)  # a new year's order of sections
    status, output = verify()
    assert status == 0, output
    page = client.get(issue.get_absolute_url()).content.decode()
    assert page.index("市领导参加春季义务植树活动") < page.index("第二个栏目的条目。")


def test_after_a_reorder_an_entry_moved_to_another_section_is_still_caught():
    issue = published()
    make_entry(issue, section_name="单位行动", body="<p>第二个栏目的条目。</p>", order=1)
    workflow.correct(issue, by=make_staff(SIGNER), note="补充一条。")
    other = Section.objects.get(name="单位行动")
    Section.objects.filter(name="领导活动").update(order=other.order + 10)
    raw("UPDATE bulletins_entry SET section_id = %s WHERE issue_id = %s", other.pk, issue.pk)
    status, output = verify()
    assert status == 1 and "（c）" in output


@pytest.mark.parametrize("link", ["person", "unit"])
def test_a_changed_set_of_linked_people_or_units_is_caught(link):
    issue = published()
    entry = issue.entries.get()
    if link == "person":
        other = make_person(name="高鹏130")  # the same name, another person of the registry
        raw("UPDATE bulletins_entryperson SET person_id = %s WHERE entry_id = %s", other.pk, entry.pk)
    else:
        other = make_unit(name="市妇联", short_names="")
        raw("UPDATE bulletins_entry_units SET unit_id = %s WHERE entry_id = %s", other.pk, entry.pk)
    status, output = verify()
    assert status == 1 and "2023年第13期" in output and "（c）" in output and "（a）" not in output


def test_a_snapshot_whose_names_are_edited_is_caught():
    issue = published()
    snapshot = issue.snapshot
    names = {**snapshot.names, "people": {pk: "王伟" for pk in snapshot.names["people"]}}
    raw("UPDATE bulletins_issuesnapshot SET names = %s WHERE id = %s", json.dumps(names, ensure_ascii=False),
        snapshot.pk)
    status, output = verify()
    assert status == 1 and "（a）" in output


def test_a_snapshot_whose_names_are_edited_with_the_hash_recomputed_is_caught():
    from bulletins.articles import content_hash

    issue = published()
    _rename(issue)  # the forger would make the live names and the snapshot's names agree
    snapshot = issue.snapshot
    names = {**snapshot.names, "people": {pk: "高朋" for pk in snapshot.names["people"]}}
    forged = content_hash(snapshot.detail_html, snapshot.print_html, snapshot.plain_text, names)
    raw("UPDATE bulletins_issuesnapshot SET names = %s, sha256 = %s WHERE id = %s",
        json.dumps(names, ensure_ascii=False), forged, snapshot.pk)
    status, output = verify()
    assert status == 1 and "（a）" not in output and "（b）" in output and "（c）" in output and "（d）" in output


def test_the_periodic_job_verifies_and_records(settings):
    from periodic.jobs import enqueue_due_jobs
    from periodic.models import PeriodicJob

    issue = published()
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", "<p>被篡改的内容。</p>", issue.pk)
    enqueue_due_jobs(by="a")
    job = PeriodicJob.objects.get(name="verify_snapshots")
    assert job.outcome == PeriodicJob.Outcome.PROBLEMS and "2023年第13期" in job.message
    assert SnapshotCheck.objects.get(source=SnapshotCheck.Source.PERIODIC).passed is False


def test_the_alert_shows_for_signers_and_auditors_until_a_verification_passes(client):
    issue = published()
    original = issue.entries.get().body
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", "<p>被篡改的内容。</p>", issue.pk)
    verify()
    users = {role: make_staff(role) for role in ("签发", "审计员", "编辑")}

    def alert_for(role):
        client.force_login(users[role])
        page = client.get("/admin/").content.decode()
        return 'id="snapshot-alert"' in page and "2023年第13期" in page

    assert alert_for("签发") and alert_for("审计员") and not alert_for("编辑")
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", original, issue.pk)
    assert verify()[0] == 0
    assert not alert_for("签发") and not alert_for("审计员")


# Reading snapshots in the admin ------------------------------------------------------------


def test_signers_and_auditors_read_snapshots_in_the_admin_and_change_none(client):
    issue = published()
    snapshot = issue.snapshot
    for role in ("签发", "审计员"):
        client.force_login(make_staff(role))
        listing = client.get("/admin/bulletins/issuesnapshot/").content.decode()
        assert "2023年第13期" in listing and snapshot.sha256 in listing and "相符" in listing
        assert "/admin/bulletins/issuesnapshot/add/" not in listing and 'name="action"' not in listing
        page = client.get(f"/admin/bulletins/issuesnapshot/{snapshot.pk}/change/").content.decode()
        assert snapshot.sha256 in page and f"第 {snapshot.revision_id} 号修订" in page
        assert 'name="_save"' not in page and "/delete/" not in page
    client.force_login(make_staff("编辑"))
    assert client.get("/admin/bulletins/issuesnapshot/").status_code == 403


def test_the_sheet_is_shown_in_a_sandboxed_frame_never_as_markup_of_the_admin_page(client):
    issue = published()
    snapshot = issue.snapshot
    raw("UPDATE bulletins_issuesnapshot SET print_html = %s WHERE id = %s",
        snapshot.print_html + '<script>alert("x")</script><img src=x onerror="alert(1)">', snapshot.pk)
    client.force_login(make_staff(SIGNER))
    page = client.get(f"/admin/bulletins/issuesnapshot/{snapshot.pk}/change/").content.decode()
    assert '<iframe class="snapshot-sheet" sandbox title="2023年第13期的签发快照打印版" srcdoc="' in page
    assert "&lt;article class=&quot;bulletin-sheet&quot;" in page and "css/paper" in page
    assert '<script>alert("x")' not in page and 'onerror="alert' not in page
    assert "不符：快照内容已被改动" in page


def test_the_alert_links_to_the_failing_issue_and_to_the_snapshot_list(client):
    issue = published()
    raw("UPDATE bulletins_entry SET body = %s WHERE issue_id = %s", "<p>被篡改的内容。</p>", issue.pk)
    verify()
    client.force_login(make_staff("审计员"))
    page = client.get("/admin/").content.decode()
    assert f'href="/admin/bulletins/issuesnapshot/?issue__id__exact={issue.pk}"' in page
    assert 'href="/admin/bulletins/issuesnapshot/"' in page
    assert f"/admin/bulletins/issue/{issue.pk}/change/" not in page  # the auditor does not open issues
    narrowed = client.get(f"/admin/bulletins/issuesnapshot/?issue__id__exact={issue.pk}")
    assert narrowed.status_code == 200 and issue.snapshot.sha256 in narrowed.content.decode()
    client.force_login(make_staff(SIGNER))
    assert f'href="/admin/bulletins/issue/{issue.pk}/change/"' in client.get("/admin/").content.decode()


# Migrating an existing database -------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_migrate_signs_the_issues_already_published():
    from django.db.migrations.executor import MigrationExecutor

    from bulletins.snapshot_checks import check_issue

    before, after = [("bulletins", "0014_fill_entry_bands")], [("bulletins", "0016_snapshot_published_issues")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    OldIssue, OldSection, OldEntry = (old.get_model("bulletins", name) for name in ("Issue", "Section", "Entry"))
    now = timezone.now()
    issue = OldIssue.objects.create(year=2022, number=5, title="2022年文明城市创建(第5期)", status="published",
                                    published_at=now, dated_at=now)
    OldIssue.objects.create(year=2022, number=6, title="草稿", status="draft")
    section = OldSection.objects.get_or_create(name="领导活动", defaults={"slug": "leaders"})[0]
    OldEntry.objects.create(issue=issue, section=section, body="<p>迁移前已发布的条目。</p>", plain_text="迁移前已发布的条目。")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    signed = Issue.objects.select_related("snapshot__revision").get(year=2022, number=5)
    assert "迁移前已发布的条目" in signed.snapshot.detail_html
    assert signed.snapshot.names == {"sections": {str(section.pk): section.name}, "people": {}, "units": {},
                                     "section_order": [str(section.pk)]}
    assert check_issue(signed) == []
    assert Issue.objects.get(year=2022, number=6).snapshot is None
