"""An editor imports last year's Word bulletin; proofreading stops a wrong title at sign-off; the
signer overrides with a reason and downloads the issue as a Word 简报 — in Chromium, clicking."""

import io
from pathlib import Path

import pytest
from django.test import Client
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor

from accounts.models import AuditEvent
from bulletins.models import EntryPerson, Issue
from bulletins.sample_registry import load_sample_registry

from .factories import make_staff

# A real server: Chromium does not hand file uploads to request interception (tests/browser.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[1] / "bulletins" / "fixtures" / "bulletin-2023-13.txt"
WRONG_TITLE = "副市长陶斌"


def word_bulletin(tmp_path):
    """Last year's bulletin as editors write it: a red masthead, then title, 【sections】 and ● entries."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()[3:]
    document = Document()

    def paragraph(text, *, size=16, red=False, centred=False):
        run = document.add_paragraph().add_run(text)
        run.font.size = Pt(size)
        if red:
            run.font.color.rgb = RGBColor(0xC0, 0, 0)
        if centred:
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    paragraph("文明城市创建", size=36, red=True, centred=True)
    paragraph("第14期", centred=True)
    paragraph("巴中市创建全国文明城市工作指挥部办公室　　　　2025年4月7日", size=14)
    paragraph("2025年文明城市创建(第14期)", size=22, centred=True)
    for line in filter(None, (line.strip() for line in lines)):
        paragraph(line.replace("市委常委、宣传部部长陶斌", WRONG_TITLE))
    path = tmp_path / "2025年第14期.docx"
    document.save(path)
    return path


def page_as(browser, live_server, user, console):  # noqa: F811
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text))
    return context, page


def test_word_import_proofreading_override_and_word_export(browser, live_server, tmp_path):
    load_sample_registry()
    editor = make_staff("编辑", username="editor", real_name="张编辑")
    reviewer = make_staff("审核", username="reviewer", real_name="李审核")
    signer = make_staff("签发", username="signer", real_name="王签发")
    console = []

    context, page = page_as(browser, live_server, editor, console)
    page.goto(live_server.url + "/admin/bulletins/issue/")
    page.get_by_role("link", name="从文件导入").click()
    page.set_input_files("input[type=file]", word_bulletin(tmp_path))
    page.get_by_role("button", name="预览").click()
    assert "红头" in page.locator("#content").inner_text()
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_url("**/change/")
    issue = Issue.objects.get(year=2025, number=14)
    assert issue.status == Issue.Status.DRAFT and issue.entries.count() == 12
    assert EntryPerson.objects.get(entry__issue=issue, person__name="陶斌").title_as_written == "副市长"
    assert issue.entries.filter(units__name="市残疾人联合会").exists()
    page.locator("#id_entries-0-body").locator("xpath=..").scroll_into_view_if_needed()  # starts its editor
    assert page.locator("#cke_id_entries-0-body iframe").get_attribute("title") == "条目正文（第1条）"
    page.get_by_role("button", name="提交审核").click()
    page.locator(".workflow-status").get_by_text("待审核").wait_for()
    context.close()

    context, page = page_as(browser, live_server, reviewer, console)
    page.goto(live_server.url + f"/admin/bulletins/issue/{issue.pk}/change/")
    page.get_by_role("button", name="通过审核").click()
    page.locator(".workflow-status").get_by_text("待签发").wait_for()
    context.close()

    context, page = page_as(browser, live_server, signer, console)
    page.goto(live_server.url + f"/admin/bulletins/issue/{issue.pk}/change/")
    assert "陶斌" in page.locator(".workflow-findings").inner_text()
    page.get_by_role("button", name="签发发布").click()
    page.locator(".errornote, .messagelist .error").get_by_text("校对发现严重问题").wait_for()
    assert Issue.objects.get(pk=issue.pk).status == Issue.Status.AWAITING_SIGNOFF

    page.get_by_label("如确需签发，请填写强制签发理由").fill("已与宣传部核实，按原稿签发。")
    page.get_by_role("button", name="签发发布").click()
    page.locator(".workflow-status").get_by_text("已发布").wait_for()
    override = AuditEvent.objects.get(action="workflow.override")
    assert override.user == signer and "已与宣传部核实" in override.detail and "陶斌" in override.detail

    with page.expect_download() as download:
        page.locator(".object-tools").get_by_role("link", name="导出Word").click()
    exported = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    text = "\n".join(paragraph.text for paragraph in exported.paragraphs)
    assert "文明城市创建" in text and "第14期" in text and "巴中市创建全国文明城市工作指挥部办公室" in text
    assert text.count("●") == 12 and WRONG_TITLE in text
    context.close()

    assert [message for message in console if "Content Security Policy" in message or "CKEDITOR" in message] == []
