from django.db import models


class ContentGeneration(models.Model):
    """The one row naming the content generation that keys every cached public page.

    It lives in the database, not in the cache, so no cache snapshot can bring a withdrawn or
    replaced page back: pages stored under any other number are never read again. See
    bulletins/public_cache.py; `manage.py bump_content_generation` starts a new one after a restore.
    """

    number = models.BigIntegerField("代号", default=0)
    started_at = models.DateTimeField("开始时间")
    valid_until = models.DateTimeField("有效至", null=True, blank=True, help_text="下一期定时发布的时间；到时自动换代。")

    class Meta:
        verbose_name = "公开内容版本"
        verbose_name_plural = "公开内容版本"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="content_generation_singleton")]

    def __str__(self):
        return f"公开内容版本 {self.number}"


class PageStamp(models.Model):
    """A number that changes whenever the public pages of one thing change: one issue's pages
    (scope "issue", key "2023/13"), one section's, person's or unit's browse pages, or the
    listings (scope "listing": home, issue list, feeds, sitemap, search).

    A cached public page is keyed with the content generation and the one stamp it depends on,
    both read in one query (bulletins/page_stamps.py), so a change forgets only the pages that
    show it. Like the generation, stamps live in the database so no cache snapshot can bring a
    forgotten page back.
    """

    scope = models.CharField("范围", max_length=10)
    key = models.CharField("对象", max_length=60)
    number = models.BigIntegerField("代号", default=0)

    class Meta:
        verbose_name = "公开页面版本"
        verbose_name_plural = "公开页面版本"
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="unique_page_stamp")]

    def __str__(self):
        return f"{self.scope}:{self.key} {self.number}"
