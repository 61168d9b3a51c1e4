import datetime

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from bulletins.models import Issue

from .factories import make_entry, make_issue, make_published_issue, make_staff, make_user
from .snapshot_support import sign_directly

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue():
    issue = make_published_issue(year=2023, number=13)
    make_entry(issue, body="<p>原来的内容。</p>")
    return issue


@pytest.fixture
def editor():
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="change_issue"))
    return user


def _rename_behind_the_cache(issue, title):
    """Change a row without signals, as only a cache that serves stored pages would miss it."""
    Issue.objects.filter(pk=issue.pk).update(title=title)


def test_anonymous_pages_are_served_from_the_cache(client, issue):
    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    assert "改过的标题" not in client.get("/issues/2023/13/").content.decode()


def test_a_published_change_appears_at_once(client, issue):
    for url in ("/", "/issues/", "/issues/2023/13/", "/sections/leaders/"):
        client.get(url)
    entry = issue.entries.get()
    entry.body = "<p>更正后的内容。</p>"
    entry.save()
    for url in ("/", "/issues/2023/13/", "/sections/leaders/"):
        assert "更正后的内容" in client.get(url).content.decode()


def test_a_newly_published_issue_appears_in_lists_at_once(client, issue):
    client.get("/issues/")
    make_published_issue(year=2023, number=14)
    assert "(第14期)" in client.get("/issues/").content.decode()


def test_a_changed_site_setting_appears_at_once(client, issue):
    from bulletins.models import SiteSettings

    client.get("/")
    site = SiteSettings.load()
    site.icp_number = "蜀ICP备00000001号"
    site.save()
    assert "蜀ICP备00000001号" in client.get("/").content.decode()


def test_a_scheduled_issue_appears_by_itself_at_its_time(client, issue):
    publish_at = timezone.now() + datetime.timedelta(hours=2)
    make_published_issue(year=2023, number=14, published_at=publish_at)
    assert "(第14期)" not in client.get("/").content.decode()
    assert client.get("/issues/2023/14/").status_code == 404
    older = client.get("/issues/2023/13/")
    with time_machine.travel(publish_at + datetime.timedelta(seconds=1), tick=False):
        assert "(第14期)" in client.get("/").content.decode()
        assert "(第14期)" in client.get("/feed/").content.decode()
        assert client.get("/issues/2023/14/").status_code == 200
        newer = client.get("/issues/2023/13/", HTTP_IF_NONE_MATCH=older["ETag"])
        assert newer.status_code == 200 and "/issues/2023/14/" in newer.content.decode()


def test_issue_page_sends_etag_and_last_modified(client, issue):
    response = client.get("/issues/2023/13/")
    assert response["ETag"] and response["Last-Modified"]
    assert "no-cache" in response["Cache-Control"]


def test_matching_etag_answers_304(client, issue):
    etag = client.get("/issues/2023/13/")["ETag"]
    response = client.get("/issues/2023/13/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b""


def test_print_view_answers_304_on_its_own_etag(client, issue):
    detail_etag = client.get("/issues/2023/13/")["ETag"]
    print_etag = client.get("/issues/2023/13/print/")["ETag"]
    assert detail_etag != print_etag
    assert client.get("/issues/2023/13/print/", HTTP_IF_NONE_MATCH=print_etag).status_code == 304


def test_unchanged_since_last_modified_answers_304(client, issue):
    last_modified = client.get("/issues/2023/13/")["Last-Modified"]
    assert client.get("/issues/2023/13/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_etag_changes_when_the_issue_changes(client, issue):
    etag = client.get("/issues/2023/13/")["ETag"]
    issue.source = "市委宣传部"
    issue.save()
    assert client.get("/issues/2023/13/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_etag_changes_when_a_neighbour_is_published(client, issue):
    etag = client.get("/issues/2023/13/")["ETag"]
    make_published_issue(year=2023, number=14)
    response = client.get("/issues/2023/13/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200 and "/issues/2023/14/" in response.content.decode()


def test_logged_in_user_is_not_served_from_the_cache(client, issue, editor):
    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    client.force_login(editor)
    response = client.get("/issues/2023/13/")
    assert "改过的标题" in response.content.decode()
    assert "ETag" not in response


def test_logged_in_preview_is_never_stored_in_the_cache(client, issue, editor):
    client.force_login(editor)
    client.get("/issues/2023/13/")
    client.logout()
    _rename_behind_the_cache(issue, "改过的标题")
    assert "改过的标题" in client.get("/issues/2023/13/").content.decode()


def test_preview_of_a_draft_is_not_cached_for_anyone(client, editor):
    draft = make_entry(Issue.objects.create(year=2023, number=20), body="<p>草稿内容。</p>").issue
    client.force_login(editor)
    response = client.get("/issues/2023/20/")
    assert "草稿内容" in response.content.decode() and "no-store" in response["Cache-Control"]
    client.logout()
    assert client.get(draft.get_absolute_url()).status_code == 404


# The seam with the workflow: transitions made in the admin reach the anonymous pages at once.

PUBLIC_LISTS = ("/", "/issues/", "/feed/", "/search/?q=文明交通劝导")


def _signer_posts(issue, action, **data):
    signer = Client()
    signer.force_login(make_staff("签发"))
    issue.refresh_from_db()
    response = signer.post(f"/admin/bulletins/issue/{issue.pk}/transition/{action}/",
                           {"version": issue.version, **data})
    assert response.status_code == 302
    issue.refresh_from_db()


def test_withdrawal_in_the_admin_empties_every_cached_public_page_at_once(client):
    issue = make_published_issue(year=2023, number=14)
    make_entry(issue, body="<p>近日，巴州区开展文明交通劝导活动。</p>")
    for url in (*PUBLIC_LISTS, "/issues/2023/14/"):
        assert "第14期" in client.get(url).content.decode(), url
    _signer_posts(issue, "withdraw", comment="内容需核实。")
    assert issue.status == Issue.Status.WITHDRAWN
    for url in PUBLIC_LISTS:
        assert "第14期" not in client.get(url).content.decode(), url
    assert client.get("/issues/2023/14/").status_code == 410


def test_publishing_in_the_admin_shows_the_issue_on_every_cached_public_page_at_once(client):
    make_published_issue(year=2023, number=13)
    issue = make_issue(year=2023, number=14, status=Issue.Status.AWAITING_SIGNOFF)
    make_entry(issue, body="<p>近日，巴州区开展文明交通劝导活动。</p>")
    for url in PUBLIC_LISTS:
        assert "第14期" not in client.get(url).content.decode(), url
    _signer_posts(issue, "publish", when="now")
    assert issue.is_published
    for url in (*PUBLIC_LISTS, "/issues/2023/14/"):
        assert "第14期" in client.get(url).content.decode(), url


def test_a_cache_hit_runs_one_query_for_the_generation_and_opens_no_session(
    client, issue, django_assert_num_queries
):
    client.get("/issues/2023/13/")
    with django_assert_num_queries(1):
        response = client.get("/issues/2023/13/")
    assert response.status_code == 200 and "原来的内容" in response.content.decode()
    assert not hasattr(response.wsgi_request, "session")


def test_a_cache_hit_keeps_the_security_headers(client, issue):
    first = client.get("/issues/2023/13/")
    hit = client.get("/issues/2023/13/")
    for header in ("Content-Security-Policy", "X-Frame-Options", "ETag", "Cache-Control"):
        assert hit[header] == first[header]


def test_a_scheduled_issue_reaches_pages_stored_by_the_fast_path(client, issue):
    later = timezone.now() + datetime.timedelta(hours=1)
    make_published_issue(year=2023, number=14, published_at=later)
    client.get("/issues/")
    client.get("/issues/")
    assert "(第14期)" not in client.get("/issues/").content.decode()
    with time_machine.travel(later + datetime.timedelta(seconds=1)):
        assert "(第14期)" in client.get("/issues/").content.decode()


def test_with_page_caching_off_every_request_renders_the_page_afresh(client, issue, settings):
    settings.PUBLIC_PAGE_CACHE = False
    client.get("/issues/2023/13/")
    issue.entries.update(body="<p>新的内容</p>")  # bypasses the signals: only a fresh render shows it
    sign_directly(issue)  # a new snapshot, also past the signals (the page serves the snapshot)
    response = client.get("/issues/2023/13/")
    assert "新的内容" in response.content.decode()


def test_a_repeated_parameter_shares_the_entry_of_the_value_the_page_reads(client, issue, django_assert_num_queries):
    client.get("/issues/?page=1")
    with django_assert_num_queries(1):  # the numbers only: a hit
        assert client.get("/issues/?page=2&page=1").status_code == 200


def test_overlong_parameters_are_served_but_never_stored(client, issue):
    from django.core.cache import cache

    from bulletins.public_cache import MOST_KEYED_PARAMETERS

    cache.clear()
    long_query = "文明" * 57  # 9 characters per 文 or 明 once encoded: 1 028 with "q="
    assert MOST_KEYED_PARAMETERS < 1028
    assert client.get("/search/", {"q": long_query}).status_code == 200
    assert not [key for key in cache._cache if ":public:page:" in key]
    assert client.get("/search/", {"q": "文明"}).status_code == 200
    assert [key for key in cache._cache if ":public:page:" in key]  # a usual query is stored


def test_only_the_paths_of_stored_pages_are_remembered(client, issue):
    from bulletins import public_cache

    public_cache._public_paths.clear()
    for number in range(900, 950):
        assert client.get(f"/people/{number}/").status_code == 404
    client.get("/issues/2023/13/")
    assert list(public_cache._public_paths) == ["/issues/2023/13/"]


# Nothing an anonymous client sends skips the cache or adds entries without bound.


def _stored_pages():
    from django.core.cache import cache

    return [key for key in cache._cache if ":public:page:" in key]


def _stale_title_shows(client, **extra):
    """Whether the page is rendered afresh: the stored page still has the old title."""
    return "改过的标题" in client.get("/issues/2023/13/", **extra).content.decode()


@pytest.mark.parametrize("cookie", ["x", "abcdefgh12345678abcdefgh12345678"])
def test_a_made_up_session_cookie_is_served_from_the_cache(client, issue, cookie, django_assert_max_num_queries):
    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    client.cookies["sessionid"] = cookie
    with django_assert_max_num_queries(2):  # the page's numbers and the session: the view does not run
        assert not _stale_title_shows(client)


def test_a_messages_cookie_alone_is_served_from_the_cache(client, issue, django_assert_num_queries):
    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    client.cookies["messages"] = "made-up"
    with django_assert_num_queries(1):
        assert not _stale_title_shows(client)


def test_a_session_without_a_signed_in_user_is_served_from_the_cache(client, issue):
    from django.contrib.sessions.backends.db import SessionStore

    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    session = SessionStore()
    session["anything"] = 1
    session.create()
    client.cookies["sessionid"] = session.session_key
    assert not _stale_title_shows(client)


def test_a_reader_with_a_made_up_session_cookie_stores_the_page_for_everyone(issue):
    with_cookie = Client()
    with_cookie.cookies["sessionid"] = "abcdefgh12345678abcdefgh12345678"
    first = with_cookie.get("/issues/2023/13/")
    assert first.status_code == 200
    _rename_behind_the_cache(issue, "改过的标题")
    assert not _stale_title_shows(Client())
    assert not _stale_title_shows(with_cookie)


def test_a_signed_in_editor_still_skips_the_cache(client, issue, editor):
    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    client.force_login(editor)
    assert _stale_title_shows(client)


@pytest.fixture
def site(settings):
    settings.SITE_URL = "https://wenming.example.gov.cn"
    settings.ALLOWED_HOSTS = ["wenming.example.gov.cn", "alias.example.gov.cn", "testserver"]


def test_a_port_or_alias_the_client_sends_makes_no_entry_of_its_own(client, issue, site):
    from django.core.cache import cache

    cache.clear()
    client.get("/issues/2023/13/", HTTP_HOST="wenming.example.gov.cn")
    assert len(_stored_pages()) == 1
    _rename_behind_the_cache(issue, "改过的标题")
    for host in ("wenming.example.gov.cn:8443", "alias.example.gov.cn", "ALIAS.example.gov.cn:1", "testserver"):
        assert not _stale_title_shows(client, HTTP_HOST=host), host
    assert len(_stored_pages()) == 1


def test_only_the_sites_own_host_stores_a_page(client, issue, site):
    from django.core.cache import cache

    cache.clear()
    for host in ("wenming.example.gov.cn:8443", "alias.example.gov.cn"):
        assert client.get("/issues/2023/13/", HTTP_HOST=host).status_code == 200
    assert _stored_pages() == []  # its absolute links would name the client's host


def test_a_host_outside_allowed_hosts_is_refused_not_served(client, issue, site):
    client.get("/issues/2023/13/", HTTP_HOST="wenming.example.gov.cn")
    assert client.get("/issues/2023/13/", HTTP_HOST="evil.example.com").status_code == 400


def test_without_site_url_a_port_the_server_does_not_listen_on_makes_no_entry(client, issue):
    from django.core.cache import cache

    cache.clear()
    client.get("/issues/2023/13/", HTTP_HOST="testserver:1234")
    assert _stored_pages() == []
    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    assert not _stale_title_shows(client, HTTP_HOST="testserver:1234")
    assert len(_stored_pages()) == 1


@pytest.fixture
def few_variants(monkeypatch):
    from django.core.cache import cache

    from bulletins import public_cache

    monkeypatch.setattr(public_cache, "MOST_VARIANTS", 5)
    cache.clear()
    return 5


def test_many_made_up_queries_store_a_bounded_number_of_pages_and_results(client, issue, few_variants):
    from django.core.cache import cache

    for number in range(30):
        assert client.get("/search/", {"q": f"文明{number}"}).status_code == 200
    assert len(_stored_pages()) <= few_variants
    assert len([key for key in cache._cache if ":search:" in key]) <= few_variants
    client.get("/search/")
    assert len(_stored_pages()) <= few_variants + 1


def test_out_of_range_pages_store_a_bounded_number_of_entries(client, issue, few_variants):
    for number in range(2, 32):
        assert client.get("/issues/", {"page": number}).status_code == 200  # the last page, clamped
    for number in range(30):
        assert client.get("/people/999999/", {"page": number}).status_code == 404
    assert len(_stored_pages()) <= few_variants


def test_the_page_without_parameters_is_stored_past_the_bound(client, issue, few_variants, django_assert_num_queries):
    for number in range(2, 12):
        client.get("/issues/", {"page": number})
    client.get("/issues/")
    with django_assert_num_queries(1):
        assert client.get("/issues/").status_code == 200


def test_another_spelling_of_a_path_shares_the_pages_entry(client, issue):
    from django.core.cache import cache

    cache.clear()
    client.get("/issues/2023/013/")
    assert _stored_pages() == []  # not stored under a spelling a client chose
    client.get("/issues/2023/13/")
    _rename_behind_the_cache(issue, "改过的标题")
    for spelling in ("/issues/2023/013/", "/issues/02023/0000013/"):
        assert "改过的标题" not in client.get(spelling).content.decode(), spelling
    assert len(_stored_pages()) == 1


def test_a_host_matched_by_a_wildcard_is_served_but_stores_nothing(client, issue, settings):
    from django.core.cache import cache

    settings.ALLOWED_HOSTS = [".example.gov.cn", "testserver"]
    cache.clear()
    for number in range(5):
        assert client.get("/issues/2023/13/", HTTP_HOST=f"a{number}.example.gov.cn").status_code == 200
    assert _stored_pages() == []


def test_made_up_session_cookies_do_not_render_the_pdf_again(client, issue, monkeypatch):
    from bulletins import pdf

    renders = []
    monkeypatch.setattr(pdf, "render_pdf", lambda issue, **kwargs: renders.append(issue) or b"%PDF-1.7 stand-in")
    assert client.get("/issues/2023/13/pdf/").status_code == 200
    for number in range(10):
        attacker = Client()
        attacker.cookies["sessionid"] = f"made-up-session-{number}"
        attacker.cookies["messages"] = "x"
        assert attacker.get("/issues/2023/13/pdf/", HTTP_HOST=f"testserver:{8000 + number}").status_code == 200
    assert len(renders) == 1
