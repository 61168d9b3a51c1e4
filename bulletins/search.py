"""Chinese search over published entries and issue titles.

A query is cut into terms at spaces and punctuation; every term must occur in the entry's
text or its issue's title (exact substring, after NFKC and lower-casing). On PostgreSQL the
candidates come from a GIN index over unigram/bigram tokens (a term becomes its bigrams
ANDed) and terms of three characters or more are then verified as substrings, because
bigrams alone could over-match; on SQLite the substrings are matched directly. Both give
the same result set and the same order. The candidates are the newest MAX_RESULTS matches
(newest issue first); they are ranked:

1. more terms found in the issue title first,
2. then more occurrences of the terms in the entry text,
3. then the newer issue (year, number), then the entry created first.
"""

import datetime
import re
from itertools import islice
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, Func, Q, Value, When
from django.db.models.functions import Coalesce, Length, Replace, TruncDate
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Entry, EntrySearchIndex, Issue
from .models.search import WORD_RUN, bigrams, normalize, year_token

MAX_QUERY_LENGTH = 50
MAX_TERMS = 5
MAX_RESULTS = 500
# Newest years searched first (1, then 4), then the whole archive.
YEAR_WINDOWS = (1, 4)
SNIPPET_LENGTH = 120
INDEX_BATCH_SIZE = 2000
ISSUE_FIELDS = ("issue__title", "issue__year", "issue__number")


@dataclass
class Query:
    """A parsed query: the terms to search and calm notices about what was left out."""

    text: str = ""
    terms: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms)


def parse_query(raw):
    text = (raw or "").strip()
    query = Query(text=text[:MAX_QUERY_LENGTH])
    if len(text) > MAX_QUERY_LENGTH:
        query.notices.append(f"搜索词太长，只按前{MAX_QUERY_LENGTH}个字搜索。")
    terms = list(dict.fromkeys(WORD_RUN.findall(normalize(query.text))))
    if len(terms) > MAX_TERMS:
        query.notices.append(f"搜索词太多，只按前{MAX_TERMS}个词搜索。")
    query.terms = terms[:MAX_TERMS]
    return query


@dataclass
class Filters:
    year: int | None = None
    section: object = None
    person: object = None
    unit: object = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _tsquery(terms, years=None):
    tokens = dict.fromkeys(token for term in terms for token in bigrams(term))
    tsquery = " & ".join("'{}'".format(token.replace("'", "''")) for token in tokens)
    if years:
        tsquery = "({}) & ({})".format(tsquery, " | ".join(f"'{year_token(year)}'" for year in years))
    return tsquery


class _VectorMatches(Func):
    """PostgreSQL: the index row's generated `vector` column matches a tsquery.

    The column is unknown to the ORM, so the table alias is taken from a resolved sibling
    column; that keeps the SQL right when Django relabels the query (e.g. as a subquery)."""

    output_field = BooleanField()

    def __init__(self, tsquery):
        super().__init__(F("tokens"))
        self.tsquery = tsquery

    def as_sql(self, compiler, connection, **extra):
        column = self.get_source_expressions()[0]
        alias = compiler.quote_name_unless_alias(column.alias)
        return f'{alias}."vector" @@ %s::tsquery', [self.tsquery]


def _matching(rows, terms, years=None):
    if connection.vendor == "postgresql":
        rows = rows.filter(_VectorMatches(_tsquery(terms, years)))
        terms = [term for term in terms if len(term) >= 3]
    elif years:
        rows = rows.filter(year__in=years)
    for term in terms:
        rows = rows.filter(Q(text__contains=term) | Q(title__contains=term))
    return rows


def _filtered(rows, filters):
    if filters.year:
        rows = rows.filter(year=filters.year)
    if filters.section:
        rows = rows.filter(entry__section=filters.section)
    if filters.person:
        rows = rows.filter(entry__entry_people__person=filters.person)
    if filters.unit:
        rows = rows.filter(entry__units=filters.unit)
    if filters.date_from or filters.date_to:
        # An entry's date is its event date, or its issue's publish date when it has none (近日).
        rows = rows.annotate(date=Coalesce("entry__event_date", TruncDate("issue__dated_at")))
        if filters.date_from:
            rows = rows.filter(date__gte=filters.date_from)
        if filters.date_to:
            rows = rows.filter(date__lte=filters.date_to)
    return rows


def _with_rank_keys(rows, terms):
    """The rows with what ranking needs, computed in the scan that finds them."""
    title_hits = sum(
        (Case(When(title__contains=term, then=Value(1)), default=Value(0)) for term in terms),
        Value(0),
    )
    text_hits = sum(
        ((Length("text") - Length(Replace("text", Value(term), Value("")))) / Value(len(term)) for term in terms),
        Value(0),
    )
    return rows.annotate(title_hits=title_hits, text_hits=text_hits)


def _rank_key(row):
    entry_id, year, number, title_hits, text_hits = row
    return (-title_hits, -text_hits, -year, -number, entry_id)


class Results:
    """The ranked results of a search, sliced lazily for a Paginator: only the page asked for is read."""

    def __init__(self, query, ranked_ids, truncated):
        self.query = query
        self.truncated = truncated
        self._ids = ranked_ids

    def count(self):
        return len(self._ids)

    def __len__(self):
        return len(self._ids)

    def __getitem__(self, index):
        if isinstance(index, int):
            return self[index : index + 1][0]
        return entries_in_order(self._ids[index])


def entries_in_order(ids):
    """The entries of `ids`, in that order, with what a result shows (not the body: the snippet is from the plain text)."""
    entries = Entry.objects.select_related("issue", "section").defer("body").in_bulk(ids)
    return [entries[pk] for pk in ids]


def _newest_candidates(rows, terms, newest_year=None):
    """The newest MAX_RESULTS + 1 matches as (entry id, year, number, title hits, text hits). A common
    word matches most of the archive, so the newest years are searched first and older ones only when needed."""
    for window in (*YEAR_WINDOWS, None) if newest_year else (None,):
        window_years = list(range(newest_year, newest_year - window, -1)) if window else None
        newest = _matching(rows, terms, window_years).order_by("-year", "-number", "entry_id")[: MAX_RESULTS + 1]
        # The rank keys only for those: computed for every match they would cost more than the scan.
        found = list(
            _with_rank_keys(EntrySearchIndex.objects.filter(entry_id__in=newest.values("entry_id")), terms)
            .values_list("entry_id", "year", "number", "title_hits", "text_hits")
        )
        if len(found) > MAX_RESULTS or window_years is None:
            return found
    return found


def find(query, filters=None):
    """The ranked entry ids of `search()` and whether more matched than MAX_RESULTS.

    The candidates are the newest MAX_RESULTS matches; one query finds them with their rank keys,
    and they are put in rank order here."""
    if not query:
        return [], False
    filters = filters or Filters()
    published = Issue.objects.published()
    rows = _filtered(EntrySearchIndex.objects.filter(issue__in=published), filters)
    newest_year = None if filters.year else published.order_by("-year").values_list("year", flat=True).first()
    found = _newest_candidates(rows, query.terms, newest_year)
    return [row[0] for row in sorted(found[:MAX_RESULTS], key=_rank_key)], len(found) > MAX_RESULTS


def search(query, filters=None):
    """Published entries matching every term of `query`, as ranked `Results`.

    The newest MAX_RESULTS matches are the candidates (a reader narrows a common word with
    more words or the filters); they are ranked as the module docstring says."""
    return Results(query, *find(query, filters))


def _pattern(terms):
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)


def _best_window(text, pattern, length):
    """Where a window of `length` characters shows the most different terms (the first such)."""
    matches = [(match.start(), match.group().lower()) for match in islice(pattern.finditer(text), 100)]
    best_start, best_count = 0, 0
    for position, _ in matches:
        start = max(0, position - length // 4)
        count = len({term for at, term in matches if start <= at < start + length})
        if count > best_count:
            best_start, best_count = start, count
    return best_start


def highlight(text, terms, *, length=None):
    """Escaped `text` (cut to a window around the first match when `length` is given) with <mark>s."""
    text = " ".join((text or "").split())
    searchable = normalize(text)
    if len(searchable) != len(text):  # NFKC changed lengths; positions would not line up
        searchable = text
    pattern = _pattern(terms) if terms else None
    start, end = 0, len(text)
    if length is not None and len(text) > length:
        start = _best_window(searchable, pattern, length) if pattern else 0
        end = min(len(text), start + length)
        start = max(0, end - length)
    parts, position = [], start
    for match in pattern.finditer(searchable, start, end) if pattern else ():
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(text[match.start() : match.end()])}</mark>")
        position = match.end()
    parts.append(escape(text[position:end]))
    return mark_safe(("…" if start > 0 else "") + "".join(parts) + ("…" if end < len(text) else ""))


def snippet(entry, terms):
    return highlight(entry.plain_text, terms, length=SNIPPET_LENGTH)


# Index maintenance -------------------------------------------------------------------------


def index_entries(entries):
    """Write (or rewrite) the search index rows of `entries`, in bulk."""
    rows = [EntrySearchIndex.build(entry, entry.issue) for entry in entries]
    EntrySearchIndex.objects.bulk_create(
        rows,
        batch_size=INDEX_BATCH_SIZE,
        update_conflicts=True,
        unique_fields=["entry"],
        update_fields=["issue", "year", "number", "title", "text", "tokens"],
    )
    return len(rows)


@transaction.atomic
def rebuild_index(*, progress=None):
    """Rebuild the whole index in batches, in one transaction so searches never see it half-built;
    `progress(n)` is told how many entries each batch held."""
    EntrySearchIndex.objects.all().delete()
    entries = Entry.objects.select_related("issue").only("id", "plain_text", *ISSUE_FIELDS).order_by("id")
    last_id, total = 0, 0
    while batch := list(entries.filter(id__gt=last_id)[:INDEX_BATCH_SIZE]):
        total += index_entries(batch)
        last_id = batch[-1].id
        if progress:
            progress(len(batch))
    return total


def _index_now_or_after_commit(entries, *, raw):
    """Raw saves (loaddata, django-reversion restoring a revision) may come before the rows
    they point to, so they are indexed once the transaction commits."""
    entries = entries.select_related("issue").only("id", "plain_text", *ISSUE_FIELDS)
    if raw:
        transaction.on_commit(lambda: index_entries(entries.all()))
    else:
        index_entries(entries)


@receiver(post_save, sender=Entry, dispatch_uid="bulletins.search.index_saved_entry")
def index_saved_entry(sender, instance, raw=False, **kwargs):
    """Signal handler: an entry's text changed, so its search index row is rewritten."""
    if raw:
        _index_now_or_after_commit(Entry.objects.filter(pk=instance.pk), raw=True)
    else:
        index_entries([instance])


@receiver(post_save, sender=Issue, dispatch_uid="bulletins.search.reindex_issue_entries")
def reindex_issue_entries(sender, instance, raw=False, created=False, **kwargs):
    """Signal handler: an issue's title, year and number are indexed with its entries, so they
    are rewritten when it is saved; this also catches entries bulk-created before the issue
    was published."""
    if not created:
        _index_now_or_after_commit(Entry.objects.filter(issue_id=instance.pk), raw=raw)
