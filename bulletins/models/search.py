import re
import unicodedata

from django.db import models

from .issues import Entry, Issue

# Runs of letters, digits and CJK characters; everything else (punctuation, spaces, "_") separates words.
WORD_RUN = re.compile(r"[^\W_]+")

# PostgreSQL only, created by migration 0003 and unknown to the ORM: the GIN index over the
# `vector` column (a tsvector generated from `tokens`).
POSTGRES_GIN_INDEX = "bulletins_entrysearchindex_vector_gin"
POSTGRES_CREATE_GIN_INDEX = (
    f"CREATE INDEX IF NOT EXISTS {POSTGRES_GIN_INDEX} ON bulletins_entrysearchindex USING gin (vector)"
)


def normalize(text):
    """The one form both the index and the query use: NFKC (full-width → half-width), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def bigrams(run):
    """The bigrams of one run of word characters; a one-character run is its own token."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def year_token(year):
    """A token for the issue's year, so PostgreSQL can search the newest years first from the index alone."""
    return f"y{year}"


def index_tokens(text):
    """Every unigram and bigram inside the runs of normalized text, deduplicated, space-separated."""
    tokens = set()
    for run in WORD_RUN.findall(normalize(text)):
        tokens.update(run)
        tokens.update(bigrams(run))
    return " ".join(sorted(tokens))


class EntrySearchIndex(models.Model):
    """What search reads for one entry: its normalized text and issue title, their tokens,
    and its issue's year and number (newest first is the order candidates are taken in).

    Kept up to date by the signal handlers in bulletins/search.py and rebuilt in bulk by
    `manage.py rebuild_search_index`. On PostgreSQL a generated `vector` tsvector column
    over `tokens` with a GIN index (created by the migration, unknown to the ORM) finds
    candidates; on SQLite the normalized text is matched directly.
    """

    entry = models.OneToOneField(
        Entry, on_delete=models.CASCADE, primary_key=True, related_name="search_index", verbose_name="条目"
    )
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="+", verbose_name="期刊")
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("期号")
    title = models.TextField("期刊标题（规范化）", blank=True)
    text = models.TextField("正文（规范化）", blank=True)
    tokens = models.TextField("检索词元", blank=True)

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"

    def __str__(self):
        return f"检索索引：{self.entry_id}"

    @classmethod
    def build(cls, entry, issue):
        title, text = normalize(issue.title), normalize(entry.plain_text)
        return cls(
            entry_id=entry.pk,
            issue_id=issue.pk,
            year=issue.year,
            number=issue.number,
            title=title,
            text=text,
            tokens=" ".join(filter(None, [index_tokens(title + "\n" + text), year_token(issue.year)])),
        )
