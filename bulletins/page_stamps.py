"""The numbers that key cached public pages, kept in the database: the content generation and the page stamps.

*The content generation* (`ContentGeneration`, one row) changes on site-wide changes: site
settings, sections (the navigation), a public person or unit, a restore from a backup
(`manage.py bump_content_generation`), and when the next scheduled publish time has passed — so a
scheduled issue appears at its time by itself, with no cron job: the first request after that
time sees the generation has expired and starts a new one.

*A page stamp* (`PageStamp`) changes when the pages of one thing change: an issue's own pages
(scope "issue"), a section's, person's or unit's browse pages, or the listings (home, issue list,
feeds, sitemap, search). bulletins/signals.py decides which stamps a content change touches and
bumps them in the same transaction as the change.

A public page depends on the generation and on one stamp; both are read in ONE query (`read`),
never from the cache, so a cache restarted from an old snapshot cannot make an old page current
again: its key names numbers the database no longer holds. On PostgreSQL a process keeps what it
read until the database tells it of a change (bulletins/kept_numbers.py), so most requests run
no query at all for them.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections, router, transaction
from django.db.models import Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from . import kept_numbers

LISTING = ("listing", "")


def issue_page(year, number):
    """The stamp of an issue's public pages (detail, print, PDF), named by its URL's year and number."""
    return ("issue", f"{year}/{number}")

# Seconds; an upper bound only, as a new number makes old pages unreachable.
PAGE_TIMEOUT = getattr(settings, "PUBLIC_CACHE_TIMEOUT", 600)


@dataclass(frozen=True)
class Generation:
    """The content generation in force, with the stamp of the page being served (0: none yet)."""

    number: int
    started_at: datetime
    valid_until: datetime | None  # the next scheduled publish time, if any
    page: tuple = ("", "")  # (scope, key) of the stamp read with it
    stamp: int = 0

    def seconds_left(self, now=None):
        if self.valid_until is None:
            return PAGE_TIMEOUT
        remaining = (self.valid_until - (now or timezone.now())).total_seconds()
        return max(1, min(PAGE_TIMEOUT, int(remaining) + 1))

    @property
    def changed_at(self):
        """When the page last changed, as far as the numbers tell (stamps are nanosecond clock readings)."""
        if not self.stamp:
            return self.started_at
        return max(self.started_at, datetime.fromtimestamp(self.stamp / 1e9, tz=UTC))

    @property
    def tag(self):
        return f"g{self.number}-s{self.stamp}"


def _new_number():
    return time.time_ns()


def _aware(value):
    """A datetime from a raw cursor: SQLite gives text or naive UTC, PostgreSQL an aware value."""
    if value is None or isinstance(value, datetime) and value.tzinfo is not None:
        return value
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _models():
    from .models import ContentGeneration, PageStamp

    return ContentGeneration, PageStamp


PREPARED = "wenming_page_numbers"


def _query(connection, first="%s", second="%s"):
    ContentGeneration, PageStamp = _models()
    quote = connection.ops.quote_name
    return (
        f"SELECT g.{quote('number')}, g.{quote('started_at')}, g.{quote('valid_until')}, s.{quote('number')} "
        f"FROM {quote(ContentGeneration._meta.db_table)} g LEFT JOIN {quote(PageStamp._meta.db_table)} s "
        f"ON s.{quote('scope')} = {first} AND s.{quote('key')} = {second} WHERE g.{quote('id')} = 1"
    )


def _execute(connection, cursor, page):
    """The one query of a cached page. On PostgreSQL a statement prepared once per connection:
    planning it would cost more than running it. Without a page, the generation alone (so code
    that runs before the stamps' table exists, e.g. a data migration, can read it)."""
    if not page[0]:
        ContentGeneration, _ = _models()
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT {quote('number')}, {quote('started_at')}, {quote('valid_until')}, NULL "
                       f"FROM {quote(ContentGeneration._meta.db_table)} WHERE {quote('id')} = 1")
        return
    if connection.vendor != "postgresql" or not settings.PAGE_NUMBERS_KEPT:  # off: no per-connection state
        cursor.execute(_query(connection), list(page))
        return
    if getattr(connection, "_page_numbers_prepared_on", None) is not connection.connection:
        cursor.execute(f"PREPARE {PREPARED} (text, text) AS {_query(connection, '$1', '$2')}")
        connection._page_numbers_prepared_on = connection.connection  # a new connection prepares it again
    cursor.execute(f"EXECUTE {PREPARED} (%s, %s)", list(page))


def _read_once(page):
    ContentGeneration, _ = _models()
    alias = router.db_for_read(ContentGeneration)
    connection = connections[alias]
    keeping = kept_numbers.enabled(alias, connection) and not connection.in_atomic_block
    if keeping:
        kept_numbers.ensure_listening(alias)
        generation = kept_numbers.kept.get(page)
        if generation is not None:
            return generation
        token = kept_numbers.kept.begin()
    with connection.cursor() as cursor:
        _execute(connection, cursor, page)
        row = cursor.fetchone()
    if row is None:
        return None
    number, started_at, valid_until, stamp = row
    generation = Generation(number, _aware(started_at), _aware(valid_until), page, stamp or 0)
    if keeping:
        kept_numbers.kept.keep(token, page, generation)
    return generation


def read(page=("", "")):
    """The generation in force now and the stamp of `page` ((scope, key)), in one query; starts a
    new generation when a scheduled issue's time has come (then reads again)."""
    now = timezone.now()
    generation = _read_once(page)
    if generation is None:
        _write_generation(now)
    elif generation.valid_until is not None and generation.valid_until <= now:
        _write_generation(now, replacing=generation.number)  # another process may have been first
    else:
        return generation
    return _read_once(page)


# Writing ------------------------------------------------------------------------------------


def _next_publish_time(now):
    """The next scheduled publish time after `now`, as a subquery so a write is one statement."""
    from .models import Issue

    return Subquery(Issue.objects.scheduled(now).order_by("published_at").values("published_at")[:1])


def _generation_row():
    ContentGeneration, _ = _models()
    return ContentGeneration.objects.filter(pk=1)


def _ensure_generation_row(now):
    ContentGeneration, _ = _models()
    ContentGeneration.objects.get_or_create(pk=1, defaults={"number": 0, "started_at": now})


# Each write and its NOTIFY (kept_numbers.announce) commit together, also when called outside a transaction.


@transaction.atomic(savepoint=False)
def _write_generation(now, *, replacing=None):
    """Start a new generation; with `replacing`, only if that one is still current."""
    rows = _generation_row()
    if replacing is not None:
        rows = rows.filter(number=replacing)
    fields = {"number": _new_number(), "started_at": now, "valid_until": _next_publish_time(now)}
    if rows.update(**fields):
        kept_numbers.announce()
    elif replacing is None:  # no row yet (a new or emptied database)
        _ensure_generation_row(now)
        _generation_row().update(**fields)
        kept_numbers.announce()


def bump_generation():
    """Forget every cached public page (site-wide changes, and after a restore).

    Inside a transaction the new number becomes visible with the commit, together with the change."""
    _write_generation(timezone.now())


@transaction.atomic(savepoint=False)
def refresh_schedule():
    """Re-read the next scheduled publish time into the generation row, keeping its number.

    Called first by every content change that may touch public pages: the row lock it takes
    serialises those transactions until commit, so one that works out an issue's neighbours sees
    the issues another has just published."""
    now = timezone.now()
    if not _generation_row().update(valid_until=_next_publish_time(now)):
        _write_generation(now)
    else:
        kept_numbers.announce()


@transaction.atomic(savepoint=False)
def bump_pages(pages):
    """Give each (scope, key) in `pages` a new stamp: their cached pages are no longer read."""
    _, PageStamp = _models()
    number = _new_number()
    rows = [PageStamp(scope=scope, key=str(key), number=number) for scope, key in sorted(set(pages))]
    if rows:
        PageStamp.objects.bulk_create(rows, update_conflicts=True, unique_fields=["scope", "key"],
                                      update_fields=["number"])
        kept_numbers.announce()
