"""Search results are cached per normalised query within the content generation."""

import pytest

from bulletins.models import EntrySearchIndex

from .factories import make_entry, make_published_issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    issue = make_published_issue(year=2023, number=13)
    return make_entry(issue, body="<p>近日，巴州区开展文明交通劝导活动。</p>")


def _hide_behind_the_cache():
    """Blank the search index without signals: only cached results can still find the entry."""
    EntrySearchIndex.objects.update(title="", text="", tokens="")


def test_the_same_query_is_answered_from_the_cache(client, entry):
    assert "巴州区开展" in client.get("/search/", {"q": "文明交通"}).content.decode()
    _hide_behind_the_cache()
    assert "巴州区开展" in client.get("/search/", {"q": "文明交通"}).content.decode()


@pytest.mark.parametrize("variant", ["  文明交通  ", "文明交通 文明交通", "文明交通，"])
def test_spellings_of_one_query_share_one_cache_entry(client, entry, variant):
    client.get("/search/", {"q": "文明交通"})
    _hide_behind_the_cache()
    assert "巴州区开展" in client.get("/search/", {"q": variant}).content.decode()


def test_a_logged_in_editor_shares_the_cached_results(client, entry, django_user_model):
    client.get("/search/", {"q": "文明交通", "year": "2023"})
    _hide_behind_the_cache()
    client.force_login(django_user_model.objects.create_user("reader", password="x"))
    assert "巴州区开展" in client.get("/search/", {"q": "文明交通", "year": "2023"}).content.decode()


def test_new_content_starts_fresh_results(client, entry):
    client.get("/search/", {"q": "植树"})
    make_entry(entry.issue, body="<p>市民参加义务植树。</p>", order=2)
    assert "市民参加" in client.get("/search/", {"q": "植树"}).content.decode()


def test_a_different_filter_is_a_different_cache_entry(client, entry):
    client.get("/search/", {"q": "文明交通"})
    _hide_behind_the_cache()
    assert "巴州区开展" not in client.get("/search/", {"q": "文明交通", "year": "2023"}).content.decode()


def test_a_repeated_search_renders_from_the_stored_results_with_one_query(client, entry, settings,
                                                                          django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE = False  # the page itself is rendered afresh each time
    client.get("/search/", {"q": "文明交通"})
    with django_assert_num_queries(1):  # the page's numbers; options, results and their HTML are stored
        assert "巴州区开展" in client.get("/search/", {"q": "文明交通"}).content.decode()


def test_a_filtered_search_names_the_filters_options_from_published_issues(client, entry):
    make_entry(entry.issue, section_name="单位行动", body="<p>市残联开展助残活动。</p>", order=2)
    page = client.get("/search/", {"q": "文明交通", "section": "leaders", "year": "2023"}).content.decode()
    assert '<option value="leaders" selected>领导活动</option>' in page
    assert '<option value="2023" selected>2023年</option>' in page
    assert "巴州区开展" in page
    assert "巴州区开展" not in client.get("/search/", {"q": "文明交通", "section": "units"}).content.decode()
