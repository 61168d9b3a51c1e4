"""Shared helpers for the Playwright tests: one Debian Chromium per test module."""

import os

import pytest

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
PREFS_KEY = "wenming.reading"

# Playwright's sync API runs an event loop in this thread; the ORM calls in tests are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def set_prefs(page, base_url, **prefs):
    import json

    page.goto(base_url + "/robots.txt")
    page.evaluate(f"localStorage.setItem({PREFS_KEY!r}, {json.dumps(json.dumps(prefs))})")
