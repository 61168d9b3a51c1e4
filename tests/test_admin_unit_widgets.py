"""The 单位 field of the issue page's entries (bulletins/admin/unit_widgets.py): select2 comes later."""

import re

import pytest
from django.urls import reverse

from bulletins.models import Issue

from .factories import make_entry, make_issue, make_staff, make_unit

pytestmark = pytest.mark.django_db


def test_the_issue_page_names_select2_for_later_and_does_not_load_it(client):
    client.force_login(make_staff("编辑"))
    issue = make_issue(status=Issue.Status.DRAFT)
    make_entry(issue).units.add(make_unit())
    html = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    loaded = re.findall(r'<(?:script|link)[^>]* (?:src|href)="([^"]+)"', html)
    assert not [url for url in loaded if "select2" in url or url.endswith(("/autocomplete.js", "/autocomplete.css"))]
    later = re.search(r'id="lazy-autocomplete-script"[^>]*data-scripts="([^"]+)"', html) or re.search(
        r'data-scripts="([^"]+)"[^>]*id="lazy-autocomplete-script"', html)
    names = [url.rsplit("/", 1)[-1].split(".")[0] for url in later.group(1).split()]
    assert names == ["select2", "zh-CN", "autocomplete"]  # Django's order: select2, its language, then Django's
    assert "市残疾人联合会" in html  # the chosen unit is shown before select2 starts
