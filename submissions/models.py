"""Submissions (信息报送) from units' correspondents, their state history, and the 考评 rules."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bulletins.models import Entry, EntryImage, Section, Unit
from bulletins.sanitize import html_to_text, sanitize_html, single_line


class SubmissionQuerySet(models.QuerySet):
    def of_unit(self, unit):
        """The one rule of what a correspondent sees: their own unit's submissions."""
        return self.filter(unit=unit)

    def sent(self):
        """Submissions that reached the office (everything but drafts): what the inbox and 通报 count."""
        return self.exclude(state=Submission.State.DRAFT).filter(submitted_at__isnull=False)


class Submission(models.Model):
    """One piece of news a unit's correspondent writes up and sends to the office."""

    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已报送"
        ADOPTED = "adopted", "已采用"
        NOT_ADOPTED = "not_adopted", "未采用"
        RETURNED = "returned", "退回修改"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="submissions", verbose_name="报送单位")
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文", help_text="保存时会清理不安全的HTML。")
    date_text = models.CharField("事件日期（原文）", max_length=20, blank=True,
                                 help_text="照原文填写，如“3月15日”“近日”。")
    section_wanted = models.ForeignKey(
        Section, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="建议栏目"
    )
    writer = models.CharField("执笔人", max_length=50)
    writer_phone = models.CharField("执笔人电话", max_length=30)
    approver = models.CharField("审签人", max_length=50, help_text="审签这篇信息的单位负责人。")
    state = models.CharField("状态", max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True, db_index=True,
                                        help_text="第一次报送的时间；考评按它计入期间。")
    entry = models.ForeignKey(Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions",
                              verbose_name="采用为条目")
    adopted_at = models.DateTimeField("采用时间", null=True, blank=True)
    higher_adoptions = models.PositiveSmallIntegerField("上级采用（次）", default=0,
                                                        help_text="被上级刊物采用的次数，由编辑登记，计入考评。")
    leader_instructions = models.PositiveSmallIntegerField("领导批示（次）", default=0,
                                                           help_text="领导作出批示的次数，由编辑登记，计入考评。")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name="通讯员")
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = "报送信息"
        verbose_name_plural = "报送信息"
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-created_at"], name="submission_unit_created"),
            # The inbox: its newest-first page and its count, read from this index alone (PostgreSQL).
            models.Index(fields=["-submitted_at", "-id"], name="submission_sent_newest",
                         condition=~Q(state="draft") & Q(submitted_at__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="submission_has_title",
                                   violation_error_message="请填写标题。"),
            models.CheckConstraint(condition=Q(state="draft") | Q(submitted_at__isnull=False),
                                   name="sent_submission_has_time",
                                   violation_error_message="已报送的信息必须有报送时间。"),
            models.CheckConstraint(condition=~Q(state="adopted") | Q(adopted_at__isnull=False),
                                   name="adopted_submission_has_time",
                                   violation_error_message="已采用的信息必须有采用时间。"),
        ]
        permissions = [
            ("report_submission", "撰写并报送本单位信息（通讯员）"),
            ("handle_submission", "处理报送信息（采用、不采用、退回修改）"),
            ("view_report", "查看考评通报"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.title = single_line(self.title)
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    @property
    def plain_text(self):
        return html_to_text(self.body)

    def get_absolute_url(self):
        return reverse("portal:detail", args=[self.pk])

    def public_entry_url(self):
        """The published issue's address once the adopted entry is public, else None."""
        entry = self.entry
        if entry is None or not entry.issue.is_published:
            return None
        return entry.issue.get_absolute_url()


class SubmissionPicture(models.Model):
    """A picture sent with a submission, stored through the image pipeline (bulletins/images.py)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="pictures",
                                   verbose_name="报送信息")
    image = models.ForeignKey(EntryImage, on_delete=models.PROTECT, related_name="+", verbose_name="图片")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "报送图片"
        verbose_name_plural = "报送图片"
        ordering = ["order", "id"]

    def __str__(self):
        return str(self.image)


class SubmissionTransition(models.Model):
    """One change of a submission's state: who, when, from what to what, with the comment."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "报送"
        RESUBMIT = "resubmit", "重新报送"
        ADOPT = "adopt", "采用"
        REJECT = "reject", "不采用"
        RETURN = "return", "退回修改"

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="transitions",
                                   verbose_name="报送信息")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", editable=False,
                             verbose_name="报送单位", help_text="信息的报送单位，保存时从信息取得；通讯员的“处理动态”按它查找。")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    from_state = models.CharField("原状态", max_length=20, choices=Submission.State.choices)
    to_state = models.CharField("新状态", max_length=20, choices=Submission.State.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="操作人")
    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    comment = models.TextField("意见", blank=True)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["-at", "-id"]
        indexes = [
            # A submission's latest comment (the portal's list) without walking the whole log by time.
            models.Index(fields=["submission", "-at", "-id"], name="transition_submission_at"),
            # A unit's latest changes (the portal's 处理动态) without joining the whole log to submissions.
            models.Index(fields=["unit", "-at", "-id"], name="transition_unit_at"),
        ]

    def __str__(self):
        return f"{self.submission}：{self.get_action_display()}"

    def save(self, *args, **kwargs):
        if self.unit_id is None:
            self.unit_id = self.submission.unit_id
        super().save(*args, **kwargs)


class ScoringRule(models.Model):
    """The 考评 rules in force from `valid_from` until the next rule's start."""

    class Period(models.TextChoices):
        WEEK = "week", "每周"
        MONTH = "month", "每月"

    valid_from = models.DateField("起用日期", unique=True,
                                  help_text="从这一天所在的周期起按本规则计分，直到下一条规则起用。")
    quota_period = models.CharField("定额周期", max_length=10, choices=Period.choices, default=Period.WEEK)
    quota = models.PositiveSmallIntegerField("每周期定额（篇）", default=2)
    points_quota_met = models.DecimalField("完成定额得分", max_digits=5, decimal_places=1, default=1)
    points_per_extra = models.DecimalField("超额每篇得分", max_digits=5, decimal_places=1, default=1)
    points_per_adoption = models.DecimalField("每篇采用得分", max_digits=5, decimal_places=1, default=2)
    points_higher_adoption = models.DecimalField("上级采用每次加分", max_digits=5, decimal_places=1, default=3)
    points_leader_instruction = models.DecimalField("领导批示每次加分", max_digits=5, decimal_places=1, default=5)
    deduction_missed_quota = models.DecimalField("未完成定额扣分", max_digits=5, decimal_places=1, default=1,
                                                 help_text="未完成定额的周期扣去的分数（填正数）。")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        verbose_name = "考评规则"
        verbose_name_plural = "考评规则"
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(quota_period__in=["week", "month"]), name="scoring_rule_period_known"),
        ]

    def __str__(self):
        return f"{self.valid_from:%Y-%m-%d}起：{self.get_quota_period_display()}{self.quota}篇"
