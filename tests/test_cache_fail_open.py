"""The cache fails open (wenming/cache.py), tested against a real redis-server that is killed and restarted."""

import logging

import pytest
from django.core.cache import cache
from django.test import Client

from bulletins.models import Issue
from wenming.cache import FailOpenCache, redis_cache

from .factories import make_entry, make_published_issue, make_staff
from .servers import RedisServer

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not RedisServer.available(), reason="redis-server 未安装：apt-get install redis-server"),
]

PUBLIC_PAGES = ("/", "/issues/", "/issues/2023/13/", "/issues/2023/13/print/", "/sections/leaders/",
                "/search/?q=文明交通", "/feed/", "/sitemap.xml")


@pytest.fixture
def redis_server(redis_session_server):
    """The session's redis-server, running and empty, with no snapshot on disk (a test may have
    killed it, or saved a snapshot and restarted from it), and no outage of it remembered by this
    process from an earlier test."""
    from wenming import cache as fail_open

    fail_open._outages.clear()
    return redis_session_server.fresh()


@pytest.fixture
def redis_cache_settings(settings, redis_server):
    settings.CACHES = {"default": redis_cache(redis_server.url, retry_after=0)}
    yield redis_server
    cache.close()


@pytest.fixture
def issue():
    issue = make_published_issue(year=2023, number=13)
    make_entry(issue, body="<p>近日，巴州区开展文明交通劝导活动。</p>")
    return issue


def _withdraw_as_signer(issue):
    signer = Client()
    signer.force_login(make_staff("签发"))
    issue.refresh_from_db()
    response = signer.post(f"/admin/bulletins/issue/{issue.pk}/transition/withdraw/",
                           {"version": issue.version, "comment": "内容需核实。"})
    assert response.status_code == 302
    issue.refresh_from_db()
    return response


def _cache_warnings(caplog):
    return [record for record in caplog.records if record.name == "wenming.cache"]


@pytest.mark.system
def test_pages_are_stored_in_redis_while_it_runs(client, issue, redis_cache_settings):
    client.get("/issues/2023/13/")
    assert redis_cache_settings.client().dbsize() > 0


@pytest.mark.system
def test_public_pages_render_from_the_database_while_redis_is_down(client, issue, redis_cache_settings):
    for url in PUBLIC_PAGES:
        client.get(url)
    redis_cache_settings.kill()
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "文明交通劝导" in client.get("/issues/2023/13/").content.decode()


@pytest.mark.system
def test_an_outage_is_logged_once_not_per_request(client, issue, redis_cache_settings, caplog):
    redis_cache_settings.kill()
    with caplog.at_level(logging.WARNING, logger="wenming.cache"):
        for url in PUBLIC_PAGES:
            assert client.get(url).status_code == 200
    assert len(_cache_warnings(caplog)) == 1
    assert "不可用" in _cache_warnings(caplog)[0].getMessage()


@pytest.mark.system
def test_a_signer_can_withdraw_while_redis_is_down_and_readers_see_it(client, issue, redis_cache_settings):
    assert client.get("/issues/2023/13/").status_code == 200
    redis_cache_settings.kill()
    _withdraw_as_signer(issue)
    assert issue.status == Issue.Status.WITHDRAWN
    assert client.get("/issues/2023/13/").status_code == 410


@pytest.mark.system
def test_a_withdrawal_during_the_outage_holds_when_redis_comes_back(client, issue, redis_cache_settings):
    client.get("/issues/2023/13/")  # stored in Redis, which survives (e.g. a network cut, not a restart)
    redis_cache_settings.process.send_signal(19)  # SIGSTOP: unreachable, memory kept
    try:
        _withdraw_as_signer(issue)
    finally:
        redis_cache_settings.process.send_signal(18)  # SIGCONT
    assert client.get("/issues/2023/13/").status_code == 410


@pytest.mark.system
def test_redis_restarted_from_an_old_snapshot_serves_nothing_stale(client, issue, redis_cache_settings, caplog):
    for url in PUBLIC_PAGES[:-1]:
        assert "第13期" in client.get(url).content.decode(), url
    redis_cache_settings.save()  # the snapshot now holds every page above
    _withdraw_as_signer(issue)
    redis_cache_settings.restart()  # from that snapshot
    assert redis_cache_settings.client().dbsize() > 0, "the old pages are back in Redis"
    assert client.get("/issues/2023/13/").status_code == 410
    for url in ("/", "/issues/", "/search/?q=文明交通", "/feed/"):
        assert "第13期" not in client.get(url).content.decode(), url


@pytest.mark.system
def test_the_cache_is_used_again_after_redis_returns(client, issue, redis_cache_settings, caplog):
    redis_cache_settings.kill()
    with caplog.at_level(logging.WARNING, logger="wenming.cache"):
        assert client.get("/issues/2023/13/").status_code == 200
        redis_cache_settings.start()
        client.get("/issues/2023/13/")
    assert redis_cache_settings.client().dbsize() > 0
    assert any("已恢复" in record.getMessage() for record in _cache_warnings(caplog))


class ExplodingCache:
    """A stand-in backend that fails every call and counts them."""

    calls = 0

    def __init__(self, location, params):
        pass

    def __getattr__(self, name):
        def fail(*args, **kwargs):
            ExplodingCache.calls += 1
            raise ConnectionError("connection refused")

        return fail


def test_after_a_failure_the_backend_is_left_alone_until_the_retry_time():
    ExplodingCache.calls = 0
    wrapped = FailOpenCache("exploding-1", {"OPTIONS": {"BACKEND": f"{__name__}.ExplodingCache", "RETRY_AFTER": 60}})
    for _ in range(10):
        assert wrapped.get("key", "default") == "default"
        wrapped.set("key", "value")
        assert wrapped.get_many(["a", "b"]) == {}
    assert ExplodingCache.calls == 1


def test_every_failure_is_retried_when_the_retry_time_is_zero():
    ExplodingCache.calls = 0
    wrapped = FailOpenCache("exploding-2", {"OPTIONS": {"BACKEND": f"{__name__}.ExplodingCache", "RETRY_AFTER": 0}})
    for _ in range(3):
        assert wrapped.add("key", "value") is False
    assert ExplodingCache.calls == 3


def test_a_missing_counter_is_the_caches_answer_not_an_outage(caplog):
    wrapped = FailOpenCache("locmem-counter", {"OPTIONS": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
    with caplog.at_level(logging.WARNING, logger="wenming.cache"), pytest.raises(ValueError):
        wrapped.incr("missing")
    wrapped.set("key", "value")
    assert wrapped.get("key") == "value" and not _cache_warnings(caplog)


def test_made_up_queries_store_a_bounded_number_of_entries_in_redis(client, issue, redis_cache_settings, monkeypatch):
    from bulletins import public_cache

    monkeypatch.setattr(public_cache, "MOST_VARIANTS", 5)
    client.get("/search/")
    before = redis_cache_settings.client().dbsize()
    for number in range(40):
        assert client.get("/search/", {"q": f"文明{number}"}).status_code == 200
    added = redis_cache_settings.client().dbsize() - before
    assert added <= 5 + 5 + 2  # pages, search values, and the two counters
