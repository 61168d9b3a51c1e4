"""Caching of the anonymous public pages.

Every cached page is keyed with a *content generation*: a number kept in the cache that is
replaced whenever published content may have changed (see ``bulletins/signals.py``) and
whenever the next scheduled publish time has passed. A scheduled issue therefore appears at
its time by itself, with no cron job: the first request after that time sees the old
generation has expired, starts a new one, and renders fresh pages.
"""

import functools
import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Min
from django.utils import timezone
from django.utils.cache import patch_cache_control, patch_vary_headers

STATE_KEY = "public:generation"
# Seconds; an upper bound only, as a new generation makes old pages unreachable. It is also how long
# another process can serve a stale page when each process has its own local-memory cache.
PAGE_TIMEOUT = getattr(settings, "PUBLIC_CACHE_TIMEOUT", 600)


@dataclass(frozen=True)
class Generation:
    number: int
    started_at: datetime
    valid_until: datetime | None  # the next scheduled publish time, if any

    def seconds_left(self, now=None):
        if self.valid_until is None:
            return PAGE_TIMEOUT
        remaining = (self.valid_until - (now or timezone.now())).total_seconds()
        return max(1, min(PAGE_TIMEOUT, int(remaining) + 1))


def _next_publish_time(now):
    from .models import Issue

    return Issue.objects.filter(status=Issue.Status.PUBLISHED, published_at__gt=now).aggregate(
        next=Min("published_at")
    )["next"]


def _start_generation(now):
    generation = Generation(number=time.time_ns(), started_at=now, valid_until=_next_publish_time(now))
    cache.set(STATE_KEY, generation, None)
    return generation


def current_generation(request=None):
    """The generation in force now; starts a new one when a scheduled issue's time has come.

    With a request, the answer is remembered for the rest of that request (one cache read).
    """
    if request is not None:
        if not hasattr(request, "_public_generation"):
            request._public_generation = current_generation()
        return request._public_generation
    now = timezone.now()
    generation = cache.get(STATE_KEY)
    if generation is None or (generation.valid_until is not None and generation.valid_until <= now):
        generation = _start_generation(now)
    return generation


def bump_generation():
    """Forget every cached public page (called when published content may have changed)."""
    cache.delete(STATE_KEY)


def cached_value(name, compute, *, generation=None):
    """A value computed once per generation, e.g. the sections in the site navigation."""
    generation = generation or current_generation()
    key = f"public:value:{generation.number}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, generation.seconds_left())
    return value


def _page_key(request, generation):
    url = f"{request.get_host()}{request.get_full_path()}"
    return f"public:page:{generation.number}:{hashlib.sha256(url.encode()).hexdigest()}"


def is_cacheable_request(request):
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def _storable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.cookies
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def cache_public_page(view):
    """Serve anonymous GETs from the cache; logged-in users (previews) are never served from or stored in it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_cacheable_request(request):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            if request.user.is_authenticated:
                patch_cache_control(response, private=True)
            return response
        generation = current_generation(request)
        key = _page_key(request, generation)
        response = cache.get(key)
        if response is None:
            response = view(request, *args, **kwargs)
            if _storable(response):
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                patch_vary_headers(response, ["Cookie"])
                cache.set(key, response, generation.seconds_left())
        return response

    return wrapper
