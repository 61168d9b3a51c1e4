import datetime
import os
import shutil

import pytest
from django.utils import timezone


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def yesterday(now):
    return now - datetime.timedelta(days=1)


@pytest.fixture
def tomorrow(now):
    return now + datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sign_directly_published_issues(request):
    """Issues published by the factories are signed on every change (tests/snapshot_support.py)."""
    if request.node.get_closest_marker("signed_snapshots"):
        yield
        return
    from .snapshot_support import sign_on_change

    with sign_on_change():
        yield


# Fixtures that start an external server: every test using them is a `system` test.
SERVER_FIXTURES = {"redis_session_server", "moto_server", "postgres_pair", "live_server"}
# Tests that start a subprocess themselves, in modules other branches are rewriting (marked here
# until they carry @pytest.mark.system themselves).
def pytest_collection_modifyitems(config, items):
    """`make test-fast` runs -m "not browser and not system": make sure nothing that starts a
    server or a subprocess slips into it unmarked."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if item.get_closest_marker("system"):
            continue
        if SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.system)


def _is_transactional(item):
    marker = item.get_closest_marker("django_db")
    by_marker = marker is not None and (marker.kwargs.get("transaction") or (marker.args and marker.args[0]))
    return bool(by_marker or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush (its fixtures are torn down by now), put back what
    the data migrations made so the tests that follow on this worker see it."""
    result = yield
    # With no next test the session's fixtures, the test database included, are gone already.
    if nextitem is not None and _is_transactional(item):
        from pytest_django.plugin import blocking_manager_key

        from .factories import restore_migration_data

        with item.config.stash[blocking_manager_key].unblock():
            restore_migration_data()
    return result


@pytest.fixture(scope="session")
def redis_session_server(tmp_path_factory):
    """One redis-server per test session (per xdist worker); tests take it through `.fresh()`."""
    from .servers import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (`.ci/run` installs it)."""
    if not shutil.which(CHROMIUM):
        pytest.skip("需要 Debian 的 chromium（apt-get install -y chromium fonts-noto-cjk）才能运行浏览器测试")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls stay synchronous.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
