"""What the admin's change pages load before they can be used (wenming/admin_mixins.py, wenming/urls.py)."""

import re

import pytest
from django.urls import reverse

from bulletins.models import Issue

from .factories import make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db

UNUSED = ("actions", "urlify", "prepopulate.", "xregexp")


@pytest.fixture
def editor(client):
    client.force_login(make_staff("编辑"))
    return client


def scripts(response):
    return re.findall(r'<script[^>]* src="([^"]+)"', response.content.decode())


def test_the_issue_and_entry_pages_load_no_script_for_prepopulated_fields_or_bulk_actions(editor):
    issue = make_issue(status=Issue.Status.DRAFT)
    entry = make_entry(issue)
    for url in (reverse("admin:bulletins_issue_change", args=[issue.pk]),
                reverse("admin:bulletins_entry_change", args=[entry.pk])):
        loaded = scripts(editor.get(url))
        assert any("inlines" in src for src in loaded) and any("jquery.init" in src for src in loaded)
        assert not [src for src in loaded if any(name in src for name in UNUSED)]


def test_the_issue_list_still_loads_its_bulk_actions(editor):
    make_issue(status=Issue.Status.DRAFT)
    assert any("admin/js/actions" in src for src in scripts(editor.get(reverse("admin:bulletins_issue_changelist"))))


def test_the_admin_translation_catalogue_is_kept_by_the_browser_and_still_needs_a_login(editor):
    response = editor.get(reverse("admin:jsi18n"))
    assert response.status_code == 200 and "django.gettext" in response.content.decode()
    assert "max-age=86400" in response["Cache-Control"] and "private" in response["Cache-Control"]
    editor.logout()
    response = editor.get(reverse("admin:jsi18n"))
    assert response.status_code == 302 and "max-age" not in response.get("Cache-Control", "")
