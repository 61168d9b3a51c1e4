"""The issue on paper: the print view's sheet, static/css/paper.css and the distribution (版记) it closes with."""

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from bulletins.models import Issue, SiteSettings
from bulletins.models.issues import Distribution

from .factories import make_entry, make_issue, make_published_issue, make_staff

pytestmark = pytest.mark.django_db


def paper_css():
    with open(finders.find("css/paper.css"), encoding="utf-8") as handle:
        return handle.read()


def print_view(client, year=2024, number=1):
    return client.get(reverse("bulletins:issue_print", args=[year, number])).content.decode()


def test_site_ships_a_complete_default_distribution():
    site = SiteSettings.load()
    assert site.report_to and site.issue_to and site.print_run > 0


def test_issue_prints_the_site_default_until_its_own_distribution_is_filled():
    site = SiteSettings.load()
    issue = make_issue()
    assert issue.distribution() == Distribution(site.report_to, site.send_to, site.issue_to, site.print_run)
    issue.issue_to = "各乡镇（街道）"
    assert issue.distribution().lines() == [("发", "各乡镇（街道）")]
    assert issue.distribution().print_run == site.print_run


def test_print_view_closes_with_the_distribution_and_has_no_site_address(client):
    make_entry(make_published_issue(year=2024, number=1))
    site = SiteSettings.load()
    html = print_view(client)
    sheet = html[html.index('<article class="bulletin-sheet"'):html.index("</article>")]
    assert 'aria-label="版记"' in sheet
    assert f"发：</span>{site.issue_to}" in sheet
    assert f"（共印{site.print_run}份）" in sheet
    assert "http" not in sheet and site.site_name not in sheet


def test_print_view_escapes_the_distribution_text(client):
    issue = make_published_issue(year=2024, number=1)
    make_entry(issue)
    issue.report_to = '<img src=x onerror="alert(1)">'
    issue.save()
    html = print_view(client)
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_print_view_links_the_paper_layout_and_the_pdf(client):
    make_entry(make_published_issue(year=2024, number=1))
    html = print_view(client)
    assert 'href="/static/css/paper.css"' in html
    assert 'href="/issues/2024/1/pdf/"' in html


def test_signer_and_marking_print_only_when_set(client):
    make_entry(make_published_issue(year=2024, number=1))
    assert "签发人" not in print_view(client) and "内部资料" not in print_view(client)
    site = SiteSettings.load()
    site.signer_name, site.internal_marking = "李四", True
    site.save()
    make_entry(make_published_issue(year=2024, number=2))
    html = print_view(client, number=2)
    assert "签发人：李四" in html and "内部资料" in html
    # An issue signed before keeps the masthead it was signed with (its snapshot).
    assert "签发人" not in print_view(client)


def test_paper_layout_follows_the_type_area_of_gb_t_9704():
    css = paper_css()
    assert "size: A4;" in css
    assert "margin: 37mm 26mm 35mm 28mm;" in css  # 156 × 225 mm type area, top 37 mm, left 28 mm
    assert 'content: "— " counter(page) " —";' in css
    assert "@page :right" in css and "@bottom-right" in css and "@page :left" in css and "@bottom-left" in css
    assert "font-size: 16pt" in css and '"Noto Serif CJK SC"' in css and '"黑体"' in css


def test_signer_edits_the_distribution_on_the_issue_form(client):
    issue = make_issue(status=Issue.Status.AWAITING_SIGNOFF)
    make_entry(issue)
    client.force_login(make_staff("签发"))
    html = client.get(reverse("admin:bulletins_issue_change", args=[issue.pk])).content.decode()
    for name in ("report_to", "send_to", "issue_to", "print_run"):
        assert f'name="{name}"' in html


def test_site_settings_page_offers_the_default_distribution(client):
    SiteSettings.load()
    client.force_login(make_staff("签发"))
    html = client.get(reverse("admin:bulletins_sitesettings_change", args=[1])).content.decode()
    for name in ("report_to", "send_to", "issue_to", "print_run", "signer_name", "internal_marking"):
        assert f'name="{name}"' in html
