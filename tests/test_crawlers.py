import xml.etree.ElementTree as ET

import pytest

from .factories import make_entry, make_issue, make_published_issue

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _sitemap_paths(client):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    return [loc.text.split("testserver")[1] for loc in root.iter(f"{SITEMAP}loc")]


def test_sitemap_lists_home_published_issues_and_sections(client):
    make_entry(make_published_issue(year=2023, number=13), section_name="领导活动")
    paths = _sitemap_paths(client)
    assert "/" in paths and "/issues/" in paths
    assert "/issues/2023/13/" in paths
    assert "/sections/leaders/" in paths


def test_sitemap_leaves_out_drafts_and_scheduled_issues(client, tomorrow):
    make_issue(year=2023, number=14)
    make_published_issue(year=2023, number=15, published_at=tomorrow)
    paths = _sitemap_paths(client)
    assert "/issues/2023/14/" not in paths and "/issues/2023/15/" not in paths


def test_robots_disallows_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def test_issue_page_has_canonical_link_and_open_graph_tags(client):
    make_published_issue(year=2023, number=13)
    html = client.get("/issues/2023/13/?utm_source=x").content.decode()
    assert '<link rel="canonical" href="http://testserver/issues/2023/13/">' in html
    assert '<meta property="og:title" content="2023年文明城市创建(第13期)">' in html
    assert '<meta property="og:url" content="http://testserver/issues/2023/13/">' in html
    assert '<meta property="og:type" content="article">' in html


def test_print_view_is_canonicalised_to_the_issue_page(client):
    make_published_issue(year=2023, number=13)
    html = client.get("/issues/2023/13/print/").content.decode()
    assert '<link rel="canonical" href="http://testserver/issues/2023/13/">' in html


def test_sitemap_leaves_out_sections_only_drafts_use(client):
    make_entry(make_issue(year=2023, number=14), section_name="领导活动")
    assert "/sections/leaders/" not in _sitemap_paths(client)
