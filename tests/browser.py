"""Shared helpers for the Playwright tests: one Debian Chromium per test module.

Chromium's requests for the site are answered in-process by Django's test client (through
Playwright's request routing), so browser tests use the ordinary rolled-back test database on
SQLite and PostgreSQL alike, without a live-server thread or a flushed database.
"""

import json
import mimetypes
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connections
from django.contrib.staticfiles import finders
from django.test import Client

BASE_URL = "http://testserver"
PREFS_KEY = "wenming.reading"



def _serve_static(route, path):
    found = finders.find(path.removeprefix(settings.STATIC_URL))
    if not found:
        route.fulfill(status=404, body="")
        return
    content_type = mimetypes.guess_type(found)[0] or "application/octet-stream"
    with open(found, "rb") as file:
        route.fulfill(status=200, headers={"Content-Type": content_type}, body=file.read())


def serve_with_django(context, client=None):
    """Answer every request Chromium makes to BASE_URL with Django's test client (`client`:
    one already logged in with `force_login`, for admin pages)."""
    client = client or Client(raise_request_exception=False)
    # Playwright calls handlers in another context, where Django would open a second
    # connection outside the test's transaction; hand it the test's own connections.
    shared = {alias: connections[alias] for alias in connections}

    def handle(route):
        for alias, connection in shared.items():
            connections[alias] = connection
        request = route.request
        url = urlsplit(request.url)
        if url.path.startswith(settings.STATIC_URL):
            _serve_static(route, url.path)
            return
        path = url.path + (f"?{url.query}" if url.query else "")
        response = client.generic(
            request.method, path, data=request.post_data_buffer or b"",
            content_type=request.headers.get("content-type", "application/octet-stream"),
        )
        headers = {key: value for key, value in response.items()}
        route.fulfill(status=response.status_code, headers=headers, body=response.content)

    context.route(f"{BASE_URL}/**", handle)
    return context


def new_page(browser, client=None, **options):
    options.setdefault("viewport", {"width": 1280, "height": 900})
    options.setdefault("locale", "zh-CN")
    context = serve_with_django(browser.new_context(**options), client)
    return context, context.new_page()


@pytest.fixture
def page(browser, db):
    context, page = new_page(browser)
    yield page
    context.close()


def set_prefs(page, **prefs):
    page.goto(BASE_URL + "/robots.txt")
    page.evaluate(f"localStorage.setItem({PREFS_KEY!r}, {json.dumps(json.dumps(prefs))})")
