"""A week in the office, every role clicking the real buttons in Chromium:

import → edit in CKEditor → 校对 → submit → return with comment → fix → pass with an edit →
scheduled publish → appears on time → correct → withdraw → reopen → restore an older revision
(every relation still there) → republish with 更正说明; every public version signed and verified.
"""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from bulletins.models import Issue, IssueSnapshot
from bulletins.sample_registry import load_sample_registry

from .factories import make_staff

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

# A real server: Chromium does not hand file uploads to request interception (tests/browser.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[1] / "bulletins" / "fixtures" / "bulletin-2023-13.txt"


class Person:
    """One member of the office at their own browser; methods are what they do on the page."""

    def __init__(self, browser, live_server, user, console):
        client = Client()
        client.force_login(user)
        self.server = live_server.url
        self.context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        self.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                                   "url": self.server}])
        self.page = self.context.new_page()
        self.page.on("console", lambda message: console.append(message.text))
        self.page.on("dialog", lambda dialog: dialog.accept())

    def import_file(self, path):
        self.page.goto(self.server + "/admin/bulletins/issue/")
        self.page.get_by_role("link", name="从文件导入").click()
        self.page.set_input_files("input[type=file]", path)
        self.page.get_by_role("button", name="预览").click()
        self.page.get_by_role("button", name="确认导入").click()
        self.page.wait_for_url("**/change/")

    def open_issue(self, issue):
        self.page.goto(self.server + f"/admin/bulletins/issue/{issue.pk}/change/")

    def editor_body(self, number):
        """Scroll to entry `number` (1-based), which starts its CKEditor; the editable body."""
        self.page.locator(f"#id_entries-{number - 1}-body").locator("xpath=..").scroll_into_view_if_needed()
        return self.page.frame_locator(f"#cke_id_entries-{number - 1}-body iframe").locator("body")

    def type_in_entry(self, number, text):
        """Click at the end of entry `number` (1-based) in its CKEditor and type."""
        self.editor_body(number).click()
        self.page.keyboard.press("Control+End")
        self.page.keyboard.type(text)

    def save(self):
        self.page.get_by_role("button", name="保存并继续编辑").click()
        self.page.locator(".messagelist .success").first.wait_for()

    def proofread(self):
        self.page.locator(".object-tools").get_by_role("link", name="校对").click()
        return self.page.locator("#content").inner_text()

    def press(self, button):
        self.page.locator("#workflow").get_by_role("button", name=button).click()
        self.page.locator(".messagelist").wait_for()

    def submit(self):
        self.press("提交审核")

    def return_with(self, comment):
        self.page.get_by_label("退回意见（必填）").fill(comment)
        self.press("退回修改")

    def pass_review(self):
        self.press("通过审核")

    def schedule_publish(self, moment):
        self.page.get_by_label("定时发布：").check()
        self.page.get_by_label("定时发布时间").fill(f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}")
        self.press("签发发布")

    def publish_now(self, correction_note=None):
        self.page.get_by_label("立即发布").check()
        if correction_note:
            self.page.get_by_label("更正说明（必填，公开显示在标题下方）").fill(correction_note)
        self.press("签发发布")

    def correct(self, *, entry, add_text, note):
        self.type_in_entry(entry, add_text)
        self.page.get_by_label("更正说明（公开）").fill(note)
        self.save()

    def withdraw(self, reason):
        self.page.get_by_label("撤稿原因（必填）").fill(reason)
        self.press("撤稿")

    def reopen(self, reason):
        self.page.get_by_label("重新编辑的原因（必填）").fill(reason)
        self.press("撤稿后重新编辑")

    def restore_revision(self, issue, comment):
        """From the history, pick the revision named `comment`; returns the confirmation page's text."""
        self.page.goto(self.server + f"/admin/bulletins/issue/{issue.pk}/history/")
        self.page.locator("#restore-list li", has_text=comment).get_by_role("link", name="恢复为草稿…").click()
        confirmation = self.page.locator("#content").inner_text()
        self.page.get_by_role("button", name="确认恢复为草稿").click()
        self.page.locator(".messagelist .success").wait_for()
        return confirmation

    def preview(self, issue):
        self.page.goto(self.server + issue.get_absolute_url())
        return self.page.locator("main").inner_text()

    def status(self):
        return self.page.locator(".workflow-status").inner_text()

    def messages(self):
        return self.page.locator(".messagelist").inner_text()


class Citizen:
    def __init__(self, browser, live_server):
        self.server = live_server.url
        self.page = browser.new_context(locale="zh-CN").new_page()

    def visit(self, issue):
        response = self.page.goto(self.server + issue.get_absolute_url())
        return response.status, self.page.locator("body").inner_text()


def the_clock_reaches(issue):
    """Time passes until the scheduled moment (moved into the past rather than waited for; through
    save(), which reseals the issue's public state, as a change past the application would not)."""
    issue = Issue.objects.get(pk=issue.pk)
    issue.published_at = timezone.now() - datetime.timedelta(seconds=1)
    issue.save(update_fields=["published_at"])
    cache.clear()


@pytest.mark.signed_snapshots
def test_a_week_in_the_office(browser, live_server, tmp_path):
    load_sample_registry()
    console = []
    editor = Person(browser, live_server, make_staff("编辑", username="editor", real_name="张编辑"), console)
    reviewer = Person(browser, live_server, make_staff("审核", username="reviewer", real_name="李审核"), console)
    signer = Person(browser, live_server, make_staff("签发", username="signer", real_name="王签发"), console)
    citizen = Citizen(browser, live_server)

    # Monday: the editor imports last year's file and polishes the first entry in CKEditor.
    upload = tmp_path / "2023年第13期.txt"
    shutil.copy(SAMPLE, upload)
    editor.import_file(upload)
    issue = Issue.objects.get(year=2023, number=13)
    editor.type_in_entry(1, "（编辑补充）")
    editor.save()
    assert "校对" in editor.proofread()
    editor.open_issue(issue)
    editor.submit()
    assert "待审核" in editor.status()

    # Tuesday: the reviewer sends it back with a comment; the editor sees it and fixes.
    reviewer.open_issue(issue)
    reviewer.return_with("第一条请补充活动地点。")
    editor.open_issue(issue)
    assert "第一条请补充活动地点。" in editor.status()
    editor.type_in_entry(1, "地点：天星湖社区。")
    editor.submit()  # unsaved CKEditor edit: saved first, then submitted
    assert "已先保存您在本页的修改。" in editor.messages() and "待审核" in editor.status()

    # Wednesday: the reviewer corrects a word in CKEditor and passes without saving separately.
    reviewer.open_issue(issue)
    reviewer.type_in_entry(1, "审核已核。")
    reviewer.pass_review()
    assert "已先保存您在本页的修改。" in reviewer.messages() and "待签发" in reviewer.status()

    # Thursday: the signer schedules it; nobody sees it until the time comes.
    signer.open_issue(issue)
    signer.schedule_publish(timezone.now() + datetime.timedelta(hours=2))
    assert "定时发布" in signer.status()
    assert citizen.visit(issue)[0] == 404
    the_clock_reaches(issue)
    status, text = citizen.visit(issue)
    assert status == 200
    assert "地点：天星湖社区。审核已核。" in text  # the reviewer's edit went out
    assert "时间: 2023-04-06 15:59:37" in text, repr(text[text.index("来源"):][:60])  # its own date

    # Friday: a correction with a public note, then a withdrawal, and the issue reopened.
    signer.open_issue(issue)
    signer.correct(entry=1, add_text="（已更正）", note="更正了第一条的文字。")
    status, text = citizen.visit(issue)
    assert "更正说明" in text and "更正了第一条的文字。" in text and "（已更正）" in text
    signer.withdraw("领导职务表述需要核实。")
    status, text = citizen.visit(issue)
    assert status == 410 and "领导职务表述需要核实。" in text
    signer.reopen("核实后更正领导职务")
    assert "草稿" in signer.status()
    assert citizen.visit(issue)[0] == 410  # still withdrawn to the public while reworked

    # The editor goes back to the imported text; the confirmation lists the changes first.
    confirmation = editor.restore_revision(issue, "从文件导入")
    assert "确认恢复" in confirmation and "修改" in confirmation
    preview = editor.preview(issue)
    assert "相关人物" in preview and "高鹏凌" in preview and "相关单位" in preview
    assert "（已更正）" not in preview

    # The whole cycle again, and the republished issue carries its 更正说明.
    editor.open_issue(issue)
    editor.submit()
    reviewer.open_issue(issue)
    reviewer.pass_review()
    signer.open_issue(issue)
    signer.publish_now(correction_note="经核实，恢复原稿表述并重新发布。")
    assert "已发布" in signer.status(), signer.messages()
    status, text = citizen.visit(issue)
    assert status == 200
    assert "更正说明" in text and "经核实，恢复原稿表述并重新发布。" in text
    assert "相关人物" in text and "高鹏凌" in text and "相关单位" in text

    # What the public read was signed each time (publish, correction, republish), and still verifies.
    assert IssueSnapshot.objects.filter(issue=issue).count() == 3
    call_command("verify_snapshots", stdout=io.StringIO())

    assert [message for message in console if "Content Security Policy" in message] == []
