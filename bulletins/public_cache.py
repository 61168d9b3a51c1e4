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
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

STATE_KEY = "public:generation"
# Seconds; an upper bound only, as a new generation makes old pages unreachable. It is also how long
# another process can serve a stale page when each process has its own local-memory cache.
PAGE_TIMEOUT = getattr(settings, "PUBLIC_CACHE_TIMEOUT", 600)


def pages_cached():
    """PUBLIC_PAGE_CACHE = False renders every page afresh (the benchmark's "uncached" phase);
    the small lookups (site settings, generation, scheduled time) stay cached."""
    return getattr(settings, "PUBLIC_PAGE_CACHE", True)


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

    return Issue.objects.scheduled(now).aggregate(
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
        if not is_cacheable_request(request) or not pages_cached():
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            if request.user.is_authenticated:
                patch_cache_control(response, private=True)
            return response
        generation = current_generation(request)
        request._public_page_generation = generation  # PublicPageCacheMiddleware may store the final response
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


def _response_key(request):
    url = f"{request.get_host()}{request.get_full_path()}"
    return f"public:response:{hashlib.sha256(url.encode()).hexdigest()}"


def _without_session(request):
    return request.method in ("GET", "HEAD") and not any(
        name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, "messages")
    )


class PublicPageCacheMiddleware:
    """The fast path for anonymous readers: one cache round trip, no session, no database.

    A request without a session cookie cannot belong to a signed-in user. For such a request the
    middleware reads the generation and the stored final response (headers included: CSP, ETag,
    Cache-Control) in one ``get_many``; a response stored under an older generation is ignored.
    Misses go through the whole stack, and a page that ``cache_public_page`` handled is stored
    on the way out. Placed right after WhiteNoise, so the middlewares below it never run on a hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _without_session(request) or not pages_cached():
            return self.get_response(request)
        key = _response_key(request)
        found = cache.get_many([STATE_KEY, key])
        generation, stored = found.get(STATE_KEY), found.get(key)
        if (
            stored is not None
            and generation is not None
            and stored[0] == generation.number
            and (generation.valid_until is None or generation.valid_until > timezone.now())
        ):
            response = stored[1]
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        response = self.get_response(request)
        generation = getattr(request, "_public_page_generation", None)
        if generation is not None and _storable(response) and not request.user.is_authenticated:
            cache.set(key, (generation.number, response), generation.seconds_left())
        return response
