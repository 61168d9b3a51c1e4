"""Caching of the anonymous public pages.

Every cached page is keyed with a *content generation*: a number kept in one database row
(`ContentGeneration`) that is replaced whenever published content may have changed (see
``bulletins/signals.py``) and whenever the next scheduled publish time has passed. A scheduled
issue therefore appears at its time by itself, with no cron job: the first request after that
time sees the old generation has expired, starts a new one, and renders fresh pages.

The number is read from the database on every request (one primary-key read), never from the
cache, so a cache restarted from an old snapshot cannot make an old page current again; after a
database is restored from a backup, `manage.py bump_content_generation` starts a new number. The
cache itself fails open (wenming/cache.py): while it is away every page is rendered from the database.
"""

import functools
import hashlib
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.db.models import Subquery
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

# Seconds; an upper bound only, as a new generation makes old pages unreachable.
PAGE_TIMEOUT = getattr(settings, "PUBLIC_CACHE_TIMEOUT", 600)


def pages_cached():
    """PUBLIC_PAGE_CACHE = False renders every page afresh (the benchmark's "uncached" phase);
    the small lookups (site settings, navigation) stay cached."""
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
    """The next scheduled publish time after `now`, as a subquery so a bump is one statement."""
    from .models import Issue

    return Subquery(
        Issue.objects.scheduled(now).order_by("published_at").values("published_at")[:1]
    )


def _generation_row():
    from .models import ContentGeneration

    return ContentGeneration.objects.filter(pk=1)


def _read_generation():
    row = _generation_row().values_list("number", "started_at", "valid_until").first()
    return Generation(*row) if row else None


def _write_generation(now, *, replacing=None):
    """Start a new generation; with `replacing`, only if that one is still current."""
    from .models import ContentGeneration

    rows = _generation_row()
    if replacing is not None:
        rows = rows.filter(number=replacing)
    fields = {"number": time.time_ns(), "started_at": now, "valid_until": _next_publish_time(now)}
    if not rows.update(**fields) and replacing is None:  # no row yet (a new or emptied database)
        ContentGeneration.objects.get_or_create(pk=1, defaults={"number": 0, "started_at": now})
        _generation_row().update(**fields)


def current_generation(request=None):
    """The generation in force now; starts a new one when a scheduled issue's time has come.

    With a request, the answer is remembered for the rest of that request (one database read).
    """
    if request is not None:
        if not hasattr(request, "_public_generation"):
            request._public_generation = current_generation()
        return request._public_generation
    now = timezone.now()
    generation = _read_generation()
    if generation is None:
        _write_generation(now)
    elif generation.valid_until is not None and generation.valid_until <= now:
        _write_generation(now, replacing=generation.number)  # another process may have been first
    else:
        return generation
    return _read_generation()


def bump_generation():
    """Forget every cached public page (called when published content may have changed, and after a restore).

    Inside a transaction the new number becomes visible with the commit, together with the change."""
    _write_generation(timezone.now())


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
    """The fast path for anonymous readers: one database read, one cache read, no session.

    A request without a session cookie cannot belong to a signed-in user. For such a request the
    middleware reads the generation (database) and the stored final response (cache; headers
    included: CSP, ETag, Cache-Control); a response stored under another generation is ignored.
    Misses go through the whole stack, and a page that ``cache_public_page`` handled is stored
    on the way out. Placed right after WhiteNoise, so the middlewares below it never run on a hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _without_session(request) or not pages_cached():
            return self.get_response(request)
        key = _response_key(request)
        stored = cache.get(key)
        if stored is not None and stored[0] == current_generation(request).number:
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
