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


@pytest.fixture(autouse=True)
def _restore_migration_data_after_flush(request, django_db_blocker):
    """A transactional test (live_server) ends with a flush that also removes what the data
    migrations made (sections, roles); put it back so later tests on this worker see it."""
    yield
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from .factories import restore_migration_data

        with django_db_blocker.unblock():
            restore_migration_data()
