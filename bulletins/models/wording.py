from django.db import models


class WordRule(models.Model):
    """A wrong, outdated or sensitive form of words that proofreading flags, with the right form."""

    class Severity(models.TextChoices):
        BLOCKING = "blocking", "须改（阻止签发）"
        WARNING = "warning", "提示"

    wrong = models.CharField("不规范表述", max_length=100, unique=True, help_text="条目中出现这段文字即提示，如“习近平思想”。")
    right = models.CharField("规范表述", max_length=200, blank=True, help_text="建议改为的写法；没有固定写法的留空并在说明中写明。")
    severity = models.CharField("级别", max_length=10, choices=Severity.choices, default=Severity.WARNING)
    note = models.CharField("说明", max_length=300, blank=True, help_text="为什么要改，校对结果中显示给编辑。")
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "规范表述"
        verbose_name_plural = "规范表述"
        ordering = ["wrong"]

    def __str__(self):
        return f"{self.wrong} → {self.right}" if self.right else self.wrong
