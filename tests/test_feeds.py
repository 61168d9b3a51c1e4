import xml.etree.ElementTree as ET

import pytest

from .factories import make_issue, make_published_issue, make_sample_issue

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def issues(tomorrow, yesterday):
    make_sample_issue(year=2023, number=13)
    make_published_issue(year=2023, number=12, published_at=yesterday)  # feeds go by the issue's date
    make_issue(year=2023, number=14)
    make_published_issue(year=2023, number=15, published_at=tomorrow)


def test_rss_parses_as_xml_and_lists_only_published_issues(client, issues):
    response = client.get("/feed/")
    root = ET.fromstring(response.content)
    links = [item.findtext("link") for item in root.iter("item")]
    assert response["Content-Type"].startswith("application/rss+xml")
    assert [link.split("testserver")[1] for link in links] == ["/issues/2023/13/", "/issues/2023/12/"]


def test_rss_items_carry_title_date_and_summary(client, issues):
    item = next(ET.fromstring(client.get("/feed/").content).iter("item"))
    assert item.findtext("title") == "2023年文明城市创建(第13期)"
    assert item.findtext("pubDate")
    assert "【领导活动】" in item.findtext("description")


def test_atom_parses_as_xml_and_lists_only_published_issues(client, issues):
    root = ET.fromstring(client.get("/feed/atom/").content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert root.tag == f"{ATOM}feed"
    assert titles == ["2023年文明城市创建(第13期)", "2023年文明城市创建(第12期)"]


def test_feed_is_valid_when_there_are_no_issues(client):
    root = ET.fromstring(client.get("/feed/").content)
    assert list(root.iter("item")) == []
