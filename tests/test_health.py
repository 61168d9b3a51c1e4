"""/healthz and /readyz for load balancers (wenming/health.py)."""

import json

import pytest
from django.db import connections

from wenming.cache import redis_cache

from .servers import free_port


def _get(client, url, **extra):
    response = client.get(url, **extra)
    return response, json.loads(response.content)


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries, db):
    with django_assert_num_queries(0):
        response, body = _get(client, "/healthz")
    assert response.status_code == 200 and body == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_reports_the_database_and_the_cache(client):
    response, body = _get(client, "/readyz")
    assert response.status_code == 200
    assert body == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_readyz_stays_ready_when_the_cache_is_unreachable(client, settings):
    settings.CACHES = {"default": redis_cache(f"redis://127.0.0.1:{free_port()}/0", retry_after=0)}
    response, body = _get(client, "/readyz")
    assert response.status_code == 200
    assert body["database"] == "ok" and body["cache"] == "unavailable"


@pytest.mark.django_db
def test_readyz_fails_when_the_database_is_unreachable(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response, body = _get(client, "/readyz")
    assert response.status_code == 503 and body["database"] == "unavailable"


@pytest.mark.parametrize("url", ["/healthz", "/readyz"])
@pytest.mark.django_db
def test_probes_set_no_cookie_are_never_cached_and_ignore_the_host(client, url):
    response = client.get(url, HTTP_HOST="10.0.0.7:8001")  # a load balancer probing by address
    assert response.status_code == 200
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_probes_are_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
