from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from .models import Entry, Issue, SiteSettings
from .site_url import absolute_url
from .snapshots import public_entries, public_issues, with_issue_hash

FEED_ISSUES = 20
SUMMARY_CHARS = 200


class LatestIssuesFeed(Feed):
    """RSS 2.0 of the latest published issues."""

    url_name = "bulletins:feed"

    def title(self):
        site = SiteSettings.load()
        return f"{site.site_name} · {site.bulletin_name}简报"

    # Absolute links are kept as they are; relative ones get the request's host.
    def link(self):
        return absolute_url("/issues/")

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def description(self):
        return f"{SiteSettings.load().bulletin_name}简报：最新发布的各期。"

    def items(self):
        """The latest issues whose sealed state matches; of each, the entries whose seal matches
        (bulletins/seals.py): a row changed in the database is left out and reported."""
        entries = with_issue_hash(
            Entry.objects.select_related("section").order_by("section__order", "section_id", "order", "id"))
        return public_issues(
            Issue.objects.published()
            .with_snapshot_hash()
            .newest_first()
            .prefetch_related(Prefetch("entries", queryset=entries))[:FEED_ISSUES]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        """HTML (RSS description, Atom summary type="html"), so the plain text is escaped for HTML."""
        parts = [f"【{entry.section.name}】{entry.plain_text}" for entry in public_entries(item.entries.all())]
        return escape(Truncator(" ".join(parts)).chars(SUMMARY_CHARS))

    def item_pubdate(self, item):
        return item.dated_at or item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)


class LatestIssuesAtomFeed(LatestIssuesFeed):
    feed_type = Atom1Feed
    url_name = "bulletins:feed_atom"

    def subtitle(self):
        return self.description()
