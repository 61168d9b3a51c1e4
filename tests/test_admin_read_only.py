"""Pages of issues the user may only view read like the public page: bodies rendered, sanitised."""

import pytest
from django.urls import reverse

from bulletins.models import Entry, Issue

from .factories import make_entry, make_issue, make_staff

pytestmark = pytest.mark.django_db

BODY = "<p>4月10日，市委召开<strong>创文</strong>推进会。</p>"


@pytest.fixture
def published_entry():
    return make_entry(make_issue(status=Issue.Status.PUBLISHED), body=BODY)


@pytest.mark.parametrize("page", ["issue", "entry"])
def test_read_only_page_renders_the_body_instead_of_its_source(client, published_entry, page):
    client.force_login(make_staff("编辑"))
    url = (reverse("admin:bulletins_issue_change", args=[published_entry.issue_id]) if page == "issue"
           else reverse("admin:bulletins_entry_change", args=[published_entry.pk]))
    html = client.get(url).content.decode()
    assert BODY in html
    assert "&lt;p&gt;4月10日" not in html


def test_read_only_page_sanitises_a_hostile_stored_body(client, published_entry):
    Entry.objects.filter(pk=published_entry.pk).update(body='<p onclick="steal()">好</p><script>alert(1)</script>')
    client.force_login(make_staff("编辑"))
    html = client.get(reverse("admin:bulletins_entry_change", args=[published_entry.pk])).content.decode()
    assert "alert(1)" not in html and "steal()" not in html
    assert "<p>好</p>" in html


def test_editable_page_still_offers_the_editor(client):
    issue = make_issue()
    make_entry(issue, body=BODY)
    client.force_login(make_staff("编辑"))
    html = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    assert 'name="entries-0-body"' in html
