"""Caching of the anonymous public pages.

Each public view declares, with `public_page`, which page stamp it depends on and which query
parameters it reads (bulletins/page_stamps.py explains the numbers). `PublicPageCacheMiddleware`
stores the final response of such a view ONCE, under a key made of the normalised URL (the site's
canonical host, the path and only the declared parameters, so `?utm_source=x` shares the entry)
and the two numbers; a later request reads the numbers (one database query, or none while the
process keeps them: bulletins/kept_numbers.py) and the entry (one cache read), and nothing else
runs. A change to one issue therefore forgets only the pages that show it. What clients can add
by varying a URL is bounded (MOST_VARIANTS).

The cache fails open (wenming/cache.py): while it is away every page is rendered from the database.
"""

import functools
import hashlib
from dataclasses import dataclass
from importlib import import_module
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import parse_http_date_safe

from . import page_stamps
from .page_stamps import LISTING, bump_generation  # noqa: F401 - re-exported for callers and tests


def pages_cached():
    """PUBLIC_PAGE_CACHE = False renders every page afresh (the benchmark's "uncached" phase);
    the small lookups (site settings, navigation) stay cached."""
    return getattr(settings, "PUBLIC_PAGE_CACHE", True)


@dataclass(frozen=True)
class PublicPage:
    """What a public view's page depends on: `stamp(**url_kwargs)` -> (scope, key), and its query parameters."""

    stamp: object
    params: tuple = ()

    def page_for(self, kwargs):
        scope, key = self.stamp(**kwargs) if callable(self.stamp) else self.stamp
        return scope, str(key)


def public_page(*, stamp=LISTING, params=()):
    """Declare a view as a public page that PublicPageCacheMiddleware may store and serve.

    `stamp`: (scope, key), or a function of the URL's keyword arguments returning one.
    `params`: the query parameters the view reads; every other one is left out of the cache key.
    The decorator stores nothing itself; it marks responses for signed-in users private."""

    spec = PublicPage(stamp, tuple(params))

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Cookie"])
            if request.user.is_authenticated:
                patch_cache_control(response, private=True)
            return response

        wrapper.public_page = spec
        return wrapper

    return decorate


def _spec_of(match):
    return getattr(match.func, "public_page", None) if match else None


_public_paths = {}  # path -> public_page_at(path) of pages stored in the cache
MOST_PATHS = 4096


def public_page_at(path_info):
    """(the public page's declaration, the URL's keyword arguments as a tuple, its canonical path)
    for a path, or None.

    The canonical path is the URL reversed from the view and its arguments: /issues/2023/013/ is
    /issues/2023/13/, so another spelling of a path shares the page's entry instead of skipping it.
    The paths of stored pages are remembered (`_remember`; the URLconf does not change while a
    process runs), so a cache hit does not walk the URL patterns. Others are resolved each time,
    so made-up paths (a 404 under /people/<n>/, say) cannot push the real ones out."""
    found = _public_paths.get(path_info)
    if found is not None:
        return found
    try:
        match = resolve(path_info)
        spec = _spec_of(match)
        canonical = reverse(match.view_name, args=match.args, kwargs=match.captured_kwargs) if spec else None
    except (Resolver404, NoReverseMatch):
        return None
    return (spec, tuple(sorted(match.kwargs.items())), canonical) if spec else None


def _remember(path_info, found):
    if len(_public_paths) >= MOST_PATHS:
        _public_paths.clear()
    _public_paths[path_info] = found


@receiver(setting_changed)
def _forget_paths(*, setting, **kwargs):
    if setting == "ROOT_URLCONF":  # tests with their own URLconf
        _public_paths.clear()
    if setting == "SITE_URL":
        _site_host.cache_clear()


def current_generation(request=None):
    """The generation in force now (bulletins/page_stamps.py); with a request, the one read for
    it, together with its page's stamp — one database read per request."""
    if request is None:
        return page_stamps.read()
    if not hasattr(request, "_public_generation"):
        spec = _spec_of(getattr(request, "resolver_match", None))
        page = spec.page_for(request.resolver_match.kwargs) if spec else ("", "")
        request._public_generation = page_stamps.read(page)
    return request._public_generation


# The bound on what clients can add to the cache by varying a URL (a new `q`, an out-of-range
# `page=`, any other parameter a page reads): at most MOST_VARIANTS entries of one family (a path's
# pages with parameters; the search's per-query values) are stored per page stamp and generation.
# A page without parameters is always stored (one per path). The count expires with the entries
# (PAGE_TIMEOUT at most), so at most about twice MOST_VARIANTS + 1 entries of a path are alive at
# once, and a reader past the bound is still served, by a fresh render.
MOST_VARIANTS = 100


def _within_bound(family, generation):
    """Count one more stored variant of `family` under the numbers in force; False past the bound."""
    key = f"public:variants:{generation.number}:{generation.page[0]}:{generation.stamp}:{family}"
    cache.add(key, 0, generation.seconds_left())
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        return False
    return count is not None and count <= MOST_VARIANTS


def cached_value(name, compute, *, generation=None, variant_of=None):
    """A value computed once per generation, e.g. the sections in the site navigation.

    `variant_of`: the family of which the value is one of many that clients choose (a search
    query's results): it is stored only within that family's bound (MOST_VARIANTS)."""
    generation = generation or current_generation()
    key = f"public:value:{generation.number}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        if variant_of is None or _within_bound(variant_of, generation):
            cache.set(key, value, generation.seconds_left())
    return value


def is_cacheable_request(request):
    return request.method in ("GET", "HEAD") and not request.user.is_authenticated


def _storable(response):
    """A complete 200 meant for anyone. Error pages are never stored (each made-up value would get
    one). A session cookie the response sets or deletes (an anonymous reader's stale or made-up
    `sessionid`) is the reader's own and never stored with the page (`_stored` keeps headers only);
    any other cookie may be tied to the body (a CSRF token), so such a page is not stored."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and set(response.cookies) <= {settings.SESSION_COOKIE_NAME}
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


MOST_KEYED_PARAMETERS = 1024  # characters, encoded; a longer query string is served but not stored


@functools.cache
def _site_host():
    return (urlsplit(getattr(settings, "SITE_URL", "") or "").netloc or "").lower()


def site_host(request):
    """(the host a page is stored under, whether this request may store it); None outside ALLOWED_HOSTS.

    With SITE_URL every allowed name and port a client sends shares SITE_URL's entry, and only a
    request for SITE_URL's own host stores it, so the page's absolute links name the site. Without
    it (development, the benchmark) the name is keyed without its port, and stored only for a name
    listed in ALLOWED_HOSTS as it is (not matched by a wildcard) and the port the server listens on."""
    try:
        host = request.get_host().lower()  # validated against ALLOWED_HOSTS
    except DisallowedHost:
        return None
    if _site_host():
        return _site_host(), host == _site_host()
    name, port = split_domain_port(host)
    return name, name in settings.ALLOWED_HOSTS and port in ("", request.get_port())


def page_key(request, spec, generation, host, path):
    """The normalised URL (canonical host and path, the declared parameters in a fixed order) and
    the page's numbers; None when the parameters are too long to be worth an entry of their own.

    A parameter counts with the value the views read (QueryDict's last), so repeating it
    (`?page=1&page=1`) does not make another entry of the same page."""
    params = _keyed_params(request, spec)
    if len(params) > MOST_KEYED_PARAMETERS:
        return None
    url = f"{host}{path}?{params}"
    return f"public:page:{generation.number}:{generation.page[0]}:{generation.stamp}:" + hashlib.sha256(
        url.encode()
    ).hexdigest()


def _keyed_params(request, spec):
    return urlencode([(name, request.GET[name]) for name in spec.params if name in request.GET]) if spec.params else ""


def _anonymous(request):
    """Whether a request can only be an anonymous reader's: no session cookie, or one that loads
    no signed-in user (made up, expired, or an anonymous session). Only the session decides:
    public pages read no other cookie, so `messages` or any other one does not matter.
    Checking a session cookie costs one session read; a request without one costs nothing."""
    session_key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
    if session_key is None:
        return True
    return SESSION_KEY not in import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def _revalidating(request):
    """Whether the request carries a validator, i.e. may be answered 304 (or 412)."""
    return any(name in request.META for name in VALIDATORS)


VALIDATORS = ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE")


def _stored(response):
    return (response.status_code, list(response.items()), response.content)


def _response_from(stored):
    status, headers, body = stored
    response = HttpResponse(body, status=status)
    # Validated and encoded when the page was first served: copied into the header store as they
    # are (ResponseHeaders keeps {lower-case name: (name, value)}), which is most of a hit's cost otherwise.
    response.headers._store = {name.lower(): (name, value) for name, value in headers}
    return response


class PublicPageCacheMiddleware:
    """The fast path for anonymous readers: one database read, one cache read, no session.

    A request without a session cookie cannot belong to a signed-in user; one whose session cookie
    loads no signed-in user is anonymous too (`_anonymous`). For such a request to a
    page declared with `public_page`, the middleware reads the page's numbers (database) and the
    stored final response (cache: status, headers — CSP, ETag, Cache-Control — and body). Misses
    go through the whole stack and the final response is stored on the way out. Placed right
    after WhiteNoise, so the middlewares below it never run on a hit.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not pages_cached() or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        found = public_page_at(request.path_info)
        host = site_host(request) if found else None
        if host is None or not _anonymous(request):
            return self.get_response(request)
        spec, kwargs, path = found
        generation = page_stamps.read(spec.page_for(dict(kwargs)))
        request._public_generation = generation
        key = page_key(request, spec, generation, host[0], path)
        if key is None:
            return self.get_response(request)
        stored = cache.get(key)
        if stored is not None:
            response = _response_from(stored)
            if not _revalidating(request):
                return response
            return get_conditional_response(
                request,
                etag=response.get("ETag"),
                last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                response=response,
            )
        response = self.get_response(request)
        user = getattr(request, "user", None)
        stores = host[1] and request.path == path  # the stored page's links name the canonical URL
        if stores and user is not None and not user.is_authenticated and _storable(response) and (
            not _keyed_params(request, spec) or _within_bound(f"page:{path}", generation)
        ):
            cache.set(key, _stored(response), generation.seconds_left())
            _remember(request.path_info, found)
        return response
