"""Entry bodies on the issue page: previews instead of 13 editors on load, and a body nobody edited is
kept byte for byte however the browser posts it back (bulletins/editors.py)."""

import re

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from bulletins.models import Entry, Issue

from .factories import issue_change_form_data, make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db

BODY = "<p>近日，市创文办检查背街小巷，<strong>督促整改</strong>。</p>\n\n<p>共走访12个小区。</p>"


@pytest.fixture
def issue():
    issue = make_issue(status=Issue.Status.DRAFT)
    make_entry(issue, body=BODY, order=1)
    make_entry(issue, body="<p>第二条。</p>", order=2)
    return issue


@pytest.fixture
def editor(client):
    client.force_login(make_staff("编辑"))
    return client


def change_url(issue):
    return reverse("admin:bulletins_issue_change", args=[issue.pk])


def as_browser_posts(data):
    """A browser posts a textarea's line breaks as CR LF."""
    return {key: value.replace("\n", "\r\n") if isinstance(value, str) else value for key, value in data.items()}


def test_the_issue_page_shows_each_body_as_a_sanitised_preview_and_loads_no_eager_editor(editor, issue):
    Entry.objects.filter(order=2).update(body='<p onclick="x()">第二条。</p><script>alert(1)</script>')
    html = editor.get(change_url(issue)).content.decode()
    assert html.count('class="lazy-editor-preview"') == 3  # two entries and the "add another" template
    assert "<strong>督促整改</strong>" in html
    assert "<p>第二条。</p>" in html  # the preview, sanitised; the textarea holds the stored HTML escaped
    assert "<p onclick" not in html and "<script>alert(1)</script>" not in html
    assert "bulletins/admin/lazy-editors.js" in html and "ckeditor/ckeditor-init.js" not in html
    assert 'data-type="ckeditortype"' not in html
    # django-ckeditor's styles come with CKEditor, when the first editor starts.
    assert 'data-styles-href="/static/ckeditor/ckeditor.' in html
    assert not re.search(r'<link[^>]*ckeditor/ckeditor\.', html)


def test_the_stock_eager_editors_come_back_with_the_switch_off(editor, issue, settings):
    settings.LAZY_ENTRY_EDITORS = False
    html = editor.get(change_url(issue)).content.decode()
    assert "ckeditor/ckeditor-init.js" in html and "lazy-editors.js" not in html
    assert html.count('data-type="ckeditortype"') == 3


def test_bodies_posted_back_untouched_are_not_saved_again_nor_listed_as_changed(editor, issue):
    data = as_browser_posts(issue_change_form_data(editor, issue))
    before = {entry.pk: (entry.body, entry.plain_text) for entry in issue.entries.all()}
    response = editor.post(change_url(issue), {**data, "_continue": "1"})
    assert response.status_code == 302
    assert {entry.pk: (entry.body, entry.plain_text) for entry in issue.entries.all()} == before
    assert LogEntry.objects.latest("pk").get_change_message() == "没有字段被修改。"  # the history names no entry


def test_an_untouched_body_stays_byte_for_byte_when_another_field_of_its_entry_changes(editor, issue):
    entry = issue.entries.get(order=1)
    data = as_browser_posts(issue_change_form_data(editor, issue))
    data["entries-0-order"] = 5

    editor.post(change_url(issue), {**data, "_continue": "1"})

    stored = entry.body
    entry.refresh_from_db()
    assert entry.order == 5 and entry.body == stored
