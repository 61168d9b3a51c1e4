"""网页防篡改 as the office lives it, in Chromium: an entry and then a snapshot are changed directly in
the database; the public keeps reading what was signed, then a page under check (503); the signer
and the auditor see the alert, the editor does not; the signer restores the signed text as a
correction, the check passes and the alert is gone.
"""

from pathlib import Path

import pytest
from django.core.cache import cache

from bulletins.models import Issue, IssueSnapshot, SnapshotCheck

from .factories import link_person, make_entry, make_issue, make_person, make_staff, make_unit
from .test_browser_week_in_the_office import Person
from .test_snapshots import raw, verify

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.signed_snapshots]

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
SIGNED = "3月15日，市领导参加春季义务植树活动。"
FORGED = "3月15日，市领导参加秋季游园活动。"


class Citizen:
    """A reader who comes back later: each visit in a fresh browser, so nothing comes from its cache."""

    def __init__(self, browser, live_server):
        self.browser, self.server, self.page = browser, live_server.url, None

    def visit(self, issue):
        if self.page is not None:
            self.page.context.close()
        self.page = self.browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 720}).new_page()
        response = self.page.goto(self.server + issue.get_absolute_url())
        return response.status, self.page.locator("body").inner_text()


def the_page_cache_expires():
    """The public page cache kept the page as served before the change (the signed text); time passes."""
    cache.clear()


def replace_entry_text(person, number, text):
    """Select all of entry `number` (1-based) in CKEditor and type `text` in its place."""
    person.editor_body(number).click()
    person.page.keyboard.press("Control+A")
    person.page.keyboard.type(text)


def alert_on_index(person):
    person.page.goto(person.server + "/admin/")
    alert = person.page.locator("#snapshot-alert")
    return alert.inner_text() if alert.count() else None


def test_a_direct_database_edit_is_caught_and_the_signer_restores_the_signed_text(browser, live_server):
    console = []
    signer = Person(browser, live_server, make_staff("签发", username="signer", real_name="王签发"), console)
    auditor = Person(browser, live_server, make_staff("审计员", username="auditor", real_name="赵审计"), console)
    editor = Person(browser, live_server, make_staff("编辑", username="editor", real_name="张编辑"), console)
    citizen = Citizen(browser, live_server)
    issue = make_issue(year=2023, number=13, status=Issue.Status.AWAITING_SIGNOFF, source="市创文办")
    entry = make_entry(issue, body=f"<p>{SIGNED}</p>")
    link_person(entry, make_person(name="高鹏凌"), title_as_written="市长")
    entry.units.add(make_unit(name="市残联", short_names=""))

    # The signer publishes; a citizen reads it.
    signer.open_issue(issue)
    signer.publish_now()
    assert "已发布" in signer.status(), signer.messages()
    status, text = citizen.visit(issue)
    assert status == 200 and SIGNED in text and "高鹏凌" in text

    # Someone edits the entry directly in the database: the public still reads what was signed.
    raw("UPDATE bulletins_entry SET body = %s WHERE id = %s", f"<p>{FORGED}</p>", entry.pk)
    the_page_cache_expires()
    status, text = citizen.visit(issue)
    assert status == 200 and SIGNED in text and FORGED not in text

    # The check names the issue and fails; the signer and the auditor see the alert, the editor not.
    status, output = verify()
    assert status == 1 and "2023年第13期" in output and "（c）" in output
    for person in (signer, auditor):
        alert = alert_on_index(person)
        assert alert is not None and "网页防篡改核验发现问题" in alert and "2023年第13期" in alert
    assert alert_on_index(editor) is None
    ARTIFACTS.mkdir(exist_ok=True)
    signer.page.locator("#snapshot-alert").screenshot(path=str(ARTIFACTS / "snapshot-alert.png"))

    # The auditor follows the alert to the issue's snapshots and reads the signed sheet.
    auditor.page.locator("#snapshot-alert").get_by_role("link", name="查看签发快照").click()
    expect(auditor.page.locator("#result_list")).to_contain_text("相符")
    auditor.page.locator("#result_list").get_by_role("link", name="2023年第13期").click()
    sheet = auditor.page.frame_locator("iframe.snapshot-sheet")
    expect(sheet.locator(".bulletin-sheet")).to_contain_text(SIGNED)
    auditor.page.screenshot(path=str(ARTIFACTS / "snapshot-admin.png"), full_page=True)

    # The snapshot is changed directly too, without its hash: the page is withheld (503).
    snapshot = IssueSnapshot.objects.get(pk=Issue.objects.get(pk=issue.pk).snapshot_id)
    raw("UPDATE bulletins_issuesnapshot SET detail_html = %s WHERE id = %s",
        snapshot.detail_html.replace(SIGNED, FORGED), snapshot.pk)
    the_page_cache_expires()
    status, text = citizen.visit(issue)
    assert status == 503 and "本页正在核验" in text and FORGED not in text and SIGNED not in text
    citizen.page.screenshot(path=str(ARTIFACTS / "snapshot-503.png"))
    assert "（a）" in verify()[1]

    # The signer finds the changed text in the editor, puts back what was signed and publishes that
    # as a correction: a new snapshot from the live rows, signed, with its revision and audit record.
    signer.open_issue(issue)
    replace_entry_text(signer, 1, SIGNED)
    signer.page.get_by_label("更正说明（公开）").fill("数据库中的条目曾被直接改动，已恢复签发时的内容。")
    signer.save()
    status, output = verify()
    assert status == 0, output
    assert SnapshotCheck.objects.order_by("-checked_at", "-id").first().passed
    assert alert_on_index(signer) is None and alert_on_index(auditor) is None
    status, text = citizen.visit(issue)
    assert status == 200 and SIGNED in text and FORGED not in text
    assert "数据库中的条目曾被直接改动，已恢复签发时的内容。" in text

    assert [message for message in console if "Content Security Policy" in message] == []
