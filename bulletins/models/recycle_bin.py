import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

KEEP_FOR = datetime.timedelta(days=30)


class DeletedIssueQuerySet(models.QuerySet):
    def expired(self, now=None):
        return self.filter(deleted_at__lte=(now or timezone.now()) - KEEP_FOR)

    def kept(self, now=None):
        return self.filter(deleted_at__gt=(now or timezone.now()) - KEEP_FOR)


class DeletedIssue(models.Model):
    """A deleted draft in the 回收站: everything needed to bring it back, kept for 30 days."""

    issue_id = models.PositiveBigIntegerField("原期刊编号", help_text="恢复时沿用，历史版本和审计记录仍对得上。")
    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("期号")
    title = models.CharField("标题", max_length=200)
    entry_count = models.PositiveIntegerField("条目数", default=0)
    snapshot = models.JSONField("内容", help_text="期刊、条目、人物和单位关联、流程记录（Django 序列化格式）。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name="创建人")
    deleted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="删除人")
    deleted_at = models.DateTimeField("删除时间", default=timezone.now, db_index=True)

    objects = DeletedIssueQuerySet.as_manager()

    class Meta:
        verbose_name = "回收站中的期刊"
        verbose_name_plural = "回收站"
        ordering = ["-deleted_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def expires_at(self):
        return self.deleted_at + KEEP_FOR
