from django.conf import settings
from django.db import models
from django.utils import timezone

from .issues import Issue


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def mark_read(self, now=None):
        return self.unread().update(read_at=now or timezone.now())


class Notification(models.Model):
    """An in-app note to one user that an issue waits for them or changed state (站内通知)."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name="接收人")
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                              verbose_name="期刊")
    text = models.CharField("内容", max_length=300)
    comment = models.TextField("意见", blank=True, help_text="退回意见、撤稿原因等，照原文。")
    created_at = models.DateTimeField("时间", default=timezone.now)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.text

    @property
    def is_read(self):
        return self.read_at is not None
