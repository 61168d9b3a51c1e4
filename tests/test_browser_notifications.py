"""An editor submits; the reviewer sees the unread notification in the header and follows it."""

import pytest
from django.test import Client
from django.urls import reverse

from .browser import BASE_URL, new_page
from .factories import make_entry, make_issue, make_staff

playwright_sync = pytest.importorskip("playwright.sync_api")
expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def page_as(browser, user):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    context, page = new_page(browser, client)
    page.set_default_timeout(30_000)  # the shared CI machine may be slow; nothing here is timed
    return context, page


def test_reviewer_follows_the_unread_notification_of_a_submit_to_the_issue(browser):
    editor = make_staff("编辑", username="editor", real_name="王丽")
    reviewer = make_staff("审核", username="reviewer", real_name="李军")
    issue = make_issue(year=2026, number=7, created_by=editor)
    make_entry(issue, body="<p>3月15日，市委召开创文工作推进会。</p>")
    change_url = BASE_URL + reverse("admin:bulletins_issue_change", args=[issue.pk])

    context, page = page_as(browser, editor)
    page.goto(change_url, wait_until="load")
    page.get_by_role("button", name="提交审核").click()
    page.locator(".messagelist").wait_for()
    expect(page.locator(".workflow-status")).to_contain_text("当前状态：待审核", timeout=30_000)
    context.close()

    context, page = page_as(browser, reviewer)
    page.goto(BASE_URL + reverse("admin:index"))
    link = page.locator("#notification-link")
    expect(link.locator(".unread-badge")).to_have_text("1")
    expect(page.locator("#work-queue-in_review")).to_contain_text("待我审核（1）")
    link.click()
    row = page.locator(".notification-unread")
    expect(row).to_contain_text(f"《{issue}》请审核（王丽提交审核）")
    row.get_by_role("link").click()
    page.wait_for_url(change_url)
    expect(page.locator("#notification-link .unread-badge")).to_have_count(0)
    page.locator("#notification-link").click()
    expect(page.locator(".notification-read")).to_contain_text("已读")
    expect(page.locator("#unread-total")).to_have_text("0")
    context.close()
