"""A correspondent's piece from a phone to the 通报: submitted with a picture, returned, fixed,
resubmitted, adopted into a draft, published, seen as 已采用 with its link, scored in the month's 通报."""

import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.roles import EDITOR, REVIEWER, SIGNER
from bulletins import workflow as issue_workflow
from submissions.models import ScoringRule

from .factories import make_correspondent, make_entry, make_issue, make_staff, make_unit

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

# A real server: Chromium does not hand file uploads to request interception (tests/browser.py).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 360, "height": 740}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def page_as(browser, live_server, user, **options):
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN", **options)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def photo():
    out = io.BytesIO()
    Image.new("RGB", (80, 60), (30, 120, 200)).save(out, format="PNG")
    return {"name": "现场.png", "mimeType": "image/png", "buffer": out.getvalue()}


class AsCorrespondent:
    def __init__(self, page, base):
        self.page, self.base = page, base

    def write_and_submit(self, *, title, body, picture, picture_text):
        self.page.goto(self.base + "/portal/")
        self.page.get_by_role("link", name="写信息").click()
        self.page.locator("#id_title").fill(title)
        self.page.locator("#id_body").fill(body)
        self.page.locator("#id_writer").fill("刘通讯")
        self.page.locator("#id_writer_phone").fill("13900000000")
        self.page.locator("#id_approver").fill("王主任")
        self.page.locator("#id_picture_1").set_input_files(picture)
        self.page.locator("#id_alt_1").fill(picture_text)
        self.page.get_by_role("button", name="保存并报送").click()
        expect(self.page.get_by_text("已报送，请等待编辑处理。")).to_be_visible()

    def sees_on_the_list(self, *texts):
        self.page.goto(self.base + "/portal/")
        for text in texts:
            expect(self.page.get_by_text(text).first).to_be_visible()

    def fixes_and_resubmits(self, title, *, body):
        self.page.locator(".submission-list").get_by_role("link", name=title).click()
        self.page.get_by_role("link", name="修改", exact=True).click()
        self.page.locator("#id_body").fill(body)
        self.page.get_by_role("button", name="保存并报送").click()
        expect(self.page.get_by_text("已重新报送。")).to_be_visible()


class AsEditor:
    def __init__(self, page, base):
        self.page, self.base = page, base

    def returns(self, title, *, comment):
        self.page.goto(self.base + "/admin/submissions/submission/")
        self.page.get_by_role("link", name=title).click()
        self.page.get_by_label("退回修改意见").fill(comment)
        self.page.get_by_role("button", name="退回修改").click()
        expect(self.page.get_by_text("已退回修改")).to_be_visible()

    def adopts(self, title, *, issue, section):
        self.page.goto(self.base + "/admin/submissions/submission/?state__exact=submitted")
        self.page.get_by_role("row", name=title).get_by_role("checkbox").check()
        self.page.locator("select[name=action]").select_option("adopt_selected")
        self.page.get_by_role("button", name="执行").click()
        self.page.get_by_label("采用到期刊").select_option(label=str(issue))
        self.page.get_by_label("栏目").select_option(label=section)
        self.page.get_by_role("button", name="采用").click()
        expect(self.page.get_by_text("已采用 1 篇")).to_be_visible()

    def reads_the_months_report(self):
        self.page.goto(self.base + "/admin/submissions/submission/report/")
        return self.page.locator("table.report-table")


def test_a_piece_goes_from_a_phone_to_the_months_report(browser, live_server):
    unit = make_unit(name="市残疾人联合会", short_names="市残联")
    correspondent = make_correspondent(unit, real_name="刘通讯")
    editor, reviewer, signer = make_staff(EDITOR), make_staff(REVIEWER), make_staff(SIGNER)
    today = timezone.localdate()
    ScoringRule.objects.create(valid_from=datetime.date(today.year, 1, 1), quota_period="month", quota=1,
                               points_quota_met=1, points_per_adoption=2)
    issue = make_issue(year=today.year, number=90)
    make_entry(issue, section_name="领导活动")

    phone = AsCorrespondent(page_as(browser, live_server, correspondent, viewport=PHONE), live_server.url)
    desk = AsEditor(page_as(browser, live_server, editor), live_server.url)
    title = "市残联开展助残日志愿服务"

    phone.write_and_submit(title=title, body="5月19日，市残联组织志愿者走进社区。", picture=photo(),
                           picture_text="志愿者为残疾人理发")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    desk.returns(title, comment="请补充参与人数")
    phone.sees_on_the_list("退回修改", "请补充参与人数")
    phone.fixes_and_resubmits(title, body="5月19日，市残联组织30名志愿者走进社区。")
    desk.adopts(title, issue=issue, section="单位行动")

    issue.refresh_from_db()
    issue_workflow.submit(issue, by=editor)
    issue_workflow.pass_review(issue, by=reviewer)
    issue_workflow.publish(issue, by=signer, override_reason="浏览器测试")

    phone.sees_on_the_list("已采用")
    phone.page.get_by_role("link", name=f"见{issue}").click()
    expect(phone.page.get_by_text("30名志愿者走进社区")).to_be_visible()
    expect(phone.page.locator("img[alt='志愿者为残疾人理发']")).to_have_count(1)

    row = desk.reads_the_months_report().get_by_role("row", name="市残疾人联合会")
    expect(row).to_contain_text("3")  # quota met 1 + one adoption 2
