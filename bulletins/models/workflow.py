from django.conf import settings
from django.db import models
from django.utils import timezone

from .issues import Issue


class IssueTransition(models.Model):
    """One workflow step of an issue: who moved it from which state to which, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交审核"
        PASS = "pass", "通过审核"
        RETURN = "return", "退回修改"
        PUBLISH = "publish", "签发发布"
        WITHDRAW = "withdraw", "撤稿"
        RESTORE = "restore", "恢复旧版本"
        REOPEN = "reopen", "撤稿后重新编辑"
        CORRECT = "correct", "更正已发布期刊"

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="transitions", verbose_name="期刊")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_status = models.CharField("原状态", max_length=20, choices=Issue.Status.choices)
    to_status = models.CharField("新状态", max_length=20, choices=Issue.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人"
    )
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    comment = models.TextField("意见", blank=True, help_text="退回意见、撤稿原因、重新编辑的原因、更正说明或强制签发的理由。")

    class Meta:
        verbose_name = "流程记录"
        verbose_name_plural = "流程记录"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.get_action_display()}：{self.get_from_status_display()} → {self.get_to_status_display()}"
