import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bulletins.models import Unit

from .factories import (link_person, make_entry, make_issue, make_person, make_published_issue, make_unit,
                        make_user)
from .snapshot_support import signing_deferred

pytestmark = pytest.mark.django_db

SECTIONS = ["领导活动", "单位行动", "一线经验", "同创资讯", "他山之石"]


def _issue_with_entries(number, count):
    with signing_deferred():  # signed once, as built, not after each of its rows
        issue = make_published_issue(year=2023, number=number)
        for index in range(count):
            entry = make_entry(issue, section_name=SECTIONS[index % 5], body=f"<p>第{index}条。</p>", order=index)
            link_person(entry, make_person(name=f"人物{number}-{index}"), title_as_written="市委常委")
            entry.units.add(make_unit(name=f"单位{number}-{index}", short_names=""))
    return issue


def _queries_for(client, url):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["", "print/"])
def test_issue_page_queries_do_not_grow_with_entries(client, page):
    small = _issue_with_entries(1, 5)
    large = _issue_with_entries(2, 50)
    small_count = _queries_for(client, f"{small.get_absolute_url()}{page}")
    large_count = _queries_for(client, f"{large.get_absolute_url()}{page}")
    assert small_count == large_count
    assert large_count <= 12


def test_cached_issue_page_needs_only_the_generation_query(client, django_assert_num_queries):
    issue = _issue_with_entries(1, 5)
    client.get(issue.get_absolute_url())
    with django_assert_num_queries(1):
        client.get(issue.get_absolute_url())


@pytest.mark.parametrize("url", ["/", "/issues/", "/sections/leaders/"])
def test_list_and_browse_pages_queries_do_not_grow_with_entries(client, url):
    _issue_with_entries(1, 5)
    small_count = _queries_for(client, url)
    _issue_with_entries(2, 50)
    assert _queries_for(client, url) == small_count


def test_a_rendered_issue_page_reads_its_numbers_and_the_issue_with_its_snapshot(client, settings,
                                                                               django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE = False  # rendered afresh; its neighbours are kept under its stamp
    _issue_with_entries(1, 5)
    issue = _issue_with_entries(2, 5)
    client.get(issue.get_absolute_url())
    with django_assert_num_queries(2):
        response = client.get(issue.get_absolute_url())
    assert "/issues/2023/1/" in response.content.decode()  # 下一篇 still linked


def _draft_with_entries(number, count):
    issue = make_issue(year=2024, number=number)
    for index in range(count):
        entry = make_entry(issue, section_name=SECTIONS[index % 5], body=f"<p>第{index}条。</p>", order=index)
        entry.units.add(make_unit(name=f"乙单位{number}-{index}", short_names=""),
                        make_unit(name=f"甲单位{number}-{index}", short_names=""))
    return issue


def test_issue_change_page_queries_do_not_grow_with_entries(client):
    client.force_login(make_user("chief", is_staff=True, is_superuser=True))
    small = _draft_with_entries(1, 2)
    large = _draft_with_entries(2, 13)
    response = client.get(f"/admin/bulletins/issue/{large.pk}/change/")  # also warms per-process caches
    small_count = _queries_for(client, f"/admin/bulletins/issue/{small.pk}/change/")
    large_count = _queries_for(client, f"/admin/bulletins/issue/{large.pk}/change/")
    assert small_count == large_count
    # Each entry's 单位 field still shows both its units, selected, in the registry's name order.
    html = response.content.decode()
    for index in range(13):
        names = Unit.objects.filter(name__endswith=f"单位2-{index}").values_list("name", flat=True)
        positions = [html.index(f">{name}</option>") for name in names]
        assert len(positions) == 2 and positions == sorted(positions)
        for at in positions:
            assert html[html.rindex("<option", 0, at):at].count(" selected") == 1
