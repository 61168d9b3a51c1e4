from django.db import models


class PeriodicJob(models.Model):
    """When a periodic job is next due, who started its last run, and how that run ended.

    The row is the cluster-wide lease: a scheduler claims a due run with one conditional UPDATE
    that moves `next_run_at` forward, so of all the servers asking at once exactly one wins.
    """

    class Outcome(models.TextChoices):
        OK = "ok", "正常"
        PROBLEMS = "problems", "发现问题"
        FAILED = "failed", "失败"

    name = models.CharField("任务", max_length=50, primary_key=True)
    next_run_at = models.DateTimeField("下次运行")
    claimed_by = models.CharField("由谁启动", max_length=200, blank=True, help_text="最近一次运行由哪台服务器的调度进程排入队列。")
    claimed_at = models.DateTimeField("启动时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, blank=True)
    message = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "定期任务"
        verbose_name_plural = "定期任务"
        ordering = ["name"]

    def __str__(self):
        return self.name
