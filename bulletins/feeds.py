from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import Truncator

from .models import Entry, Issue, SiteSettings

FEED_ISSUES = 20
SUMMARY_CHARS = 200


class LatestIssuesFeed(Feed):
    """RSS 2.0 of the latest published issues."""

    def title(self):
        site = SiteSettings.load()
        return f"{site.site_name} · {site.bulletin_name}简报"

    def link(self):
        return "/issues/"

    def description(self):
        return f"{SiteSettings.load().bulletin_name}简报：最新发布的各期。"

    def items(self):
        entries = Entry.objects.select_related("section").order_by("section__order", "section_id", "order", "id")
        return (
            Issue.objects.published()
            .newest_first()
            .prefetch_related(Prefetch("entries", queryset=entries))[:FEED_ISSUES]
        )

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        parts = [f"【{entry.section.name}】{entry.plain_text}" for entry in item.entries.all()]
        return Truncator(" ".join(parts)).chars(SUMMARY_CHARS)

    def item_pubdate(self, item):
        return item.dated_at or item.published_at

    def item_updateddate(self, item):
        return max(item.updated_at, item.published_at)


class LatestIssuesAtomFeed(LatestIssuesFeed):
    feed_type = Atom1Feed

    def subtitle(self):
        return self.description()
