import datetime

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
