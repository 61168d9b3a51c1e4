"""An editor, a reviewer and a signer take one issue from draft to published by clicking."""


import pytest
from django.test import Client
from django.urls import reverse

from bulletins.models import Issue

from .factories import make_entry, make_issue, make_staff

playwright_sync = pytest.importorskip("playwright.sync_api")

expect = playwright_sync.expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def page_as(browser, live_server, user):
    """A browser page logged in as `user` (the session comes from Django's test client)."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="zh-CN")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_issue_goes_from_draft_to_published_through_the_admin_buttons(browser, live_server):
    editor = make_staff("编辑", username="editor", real_name="王丽")
    reviewer = make_staff("审核", username="reviewer")
    signer = make_staff("签发", username="signer")
    issue = make_issue(year=2026, number=7, created_by=editor)
    make_entry(issue, body="<p>3月15日，市委召开创文工作推进会。</p>")
    change_url = live_server.url + reverse("admin:bulletins_issue_change", args=[issue.pk])

    page = page_as(browser, live_server, editor)
    page.goto(change_url)
    assert page.locator("button[name=transition]").all_inner_texts() == ["提交审核"]
    page.get_by_role("button", name="提交审核").click()
    expect(page.locator(".workflow-status")).to_contain_text("当前状态：待审核")

    page = page_as(browser, live_server, reviewer)
    page.goto(live_server.url + reverse("admin:index"))
    page.locator("#work-queue").get_by_role("link", name=str(issue)).click()
    page.wait_for_url(change_url)
    assert sorted(page.locator("button[name=transition]").all_inner_texts()) == sorted(["通过审核", "退回修改"])
    page.get_by_role("button", name="通过审核").click()
    expect(page.locator(".workflow-status")).to_contain_text("当前状态：待签发")

    public = live_server.url + issue.get_absolute_url()
    anonymous = browser.new_context().new_page()
    assert anonymous.goto(public).status == 404

    page = page_as(browser, live_server, signer)
    page.goto(change_url)
    assert sorted(page.locator("button[name=transition]").all_inner_texts()) == sorted(["签发发布", "退回修改"])
    page.get_by_label("立即发布").check()
    page.get_by_role("button", name="签发发布").click()
    expect(page.locator(".workflow-status")).to_contain_text("当前状态：已发布")
    assert Issue.objects.get(pk=issue.pk).is_published

    response = anonymous.goto(public)
    assert response.status == 200
    assert "市委召开创文工作推进会" in anonymous.content()
    assert "预览" not in anonymous.locator("body").inner_text()

    page.goto(live_server.url + reverse("admin:bulletins_issue_history", args=[issue.pk]))
    history = page.locator("#transitions").inner_text()
    assert "提交审核" in history and "通过审核" in history and "签发发布" in history
