from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Issue, Section


class IssueSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Issue.objects.published().newest_first()

    def lastmod(self, item):
        return max(item.updated_at, item.published_at)


class SectionSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        return Section.objects.public()


class PageSitemap(Sitemap):
    changefreq = "daily"
    priority = 1.0

    def items(self):
        return ["bulletins:home", "bulletins:issue_list"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"pages": PageSitemap, "issues": IssueSitemap, "sections": SectionSitemap}
