from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from bulletins import seals
from bulletins.sanitize import html_to_text, sanitize_html

from .public import SectionQuerySet
from .registry import Person, Unit
from .site import SiteSettings
from .snapshots import IssueSnapshot

UNDATED_WORDS = ("近日", "日前")


@dataclass(frozen=True)
class Distribution:
    """The closing block (版记) of a printed issue: 报 / 送 / 发 lines and the print run."""

    report_to: str = ""
    send_to: str = ""
    issue_to: str = ""
    print_run: int | None = None

    FIELDS = ("report_to", "send_to", "issue_to", "print_run")

    @classmethod
    def chosen(cls, own, site):
        """The 版记 rule, on mappings of FIELDS (an issue's values and the site settings'): the
        issue's own 报/送/发 when any is filled, else the site's; its print run, else the site's."""
        source = own if any(own.get(name) for name in ("report_to", "send_to", "issue_to")) else site
        print_run = own.get("print_run")
        return cls(report_to=source.get("report_to") or "", send_to=source.get("send_to") or "",
                   issue_to=source.get("issue_to") or "",
                   print_run=print_run if print_run is not None else site.get("print_run"))

    def lines(self):
        """(label, text) of the non-empty 报/送/发 lines, in the order they print."""
        pairs = (("报", self.report_to), ("送", self.send_to), ("发", self.issue_to))
        return [(label, text) for label, text in pairs if text]


class Section(models.Model):
    """A fixed, ordered heading (栏目) inside an issue, e.g. 领导活动."""

    name = models.CharField("栏目名称", max_length=30, unique=True)
    slug = models.SlugField("网址名", max_length=40, unique=True, help_text="用于栏目网址，如 leaders。")
    order = models.PositiveSmallIntegerField("排序", default=0, help_text="数字小的排在前面。")

    objects = SectionQuerySet.as_manager()

    class Meta:
        verbose_name = "栏目"
        verbose_name_plural = "栏目"
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("bulletins:section", args=[self.slug])


class IssueQuerySet(models.QuerySet):
    def published(self, now=None):
        """The one publishing rule: published, and its publish time has come."""
        return self.filter(status=Issue.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def scheduled(self, now=None):
        """Signed and waiting for its publish time (定时发布): the other side of the publishing rule."""
        return self.filter(status=Issue.Status.PUBLISHED, published_at__gt=now or timezone.now())

    def with_snapshot_hash(self):
        """Each issue with its current snapshot's SHA-256 as `snapshot_sha256`, to check its seal
        (bulletins/seals.py) without loading the snapshot."""
        return self.annotate(snapshot_sha256=F("snapshot__sha256"))

    def newest_first(self):
        """By the issue's own date (刊期日期), newest first; year and number break ties."""
        return self.order_by(F("dated_at").desc(nulls_last=True), "-year", "-number")


class Issue(models.Model):
    """One numbered issue (期) of the bulletin: year + number."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        IN_REVIEW = "in_review", "待审核"
        AWAITING_SIGNOFF = "awaiting_signoff", "待签发"
        PUBLISHED = "published", "已发布"
        WITHDRAWN = "withdrawn", "已撤回"

    year = models.PositiveSmallIntegerField("年份")
    number = models.PositiveSmallIntegerField("期号")
    title = models.CharField("标题", max_length=200, blank=True, help_text="留空则自动生成，如：2023年文明城市创建(第13期)")
    source = models.CharField("来源", max_length=100, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    dated_at = models.DateTimeField(
        "刊期日期", null=True, blank=True, db_index=True,
        help_text="这一期自己的日期：报头和公开页面“时间”一行显示它，排序、上一篇/下一篇、订阅和概览也按它。"
        "导入时取文件中的“时间:”；留空则在首次发布时取发布时刻。",
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, db_index=True,
                                        help_text="实际上线（或定时上线）的时刻，由签发自动记录。")
    withdrawn_reason = models.TextField("撤稿原因", blank=True,
                                        help_text="撤稿时填写；撤稿后重新编辑期间公开网址仍显示撤回说明，直到重新发布。")
    correction_note = models.TextField("更正说明", blank=True,
                                       help_text="公开页面标题下方显示的更正说明（连同更正日期）；留空则不显示。")
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    report_to = models.CharField("报", max_length=300, blank=True, help_text="版记“报：”一行；报、送、发都留空时用站点设置的默认版记。")
    send_to = models.CharField("送", max_length=300, blank=True, help_text="版记“送：”一行。")
    issue_to = models.CharField("发", max_length=300, blank=True, help_text="版记“发：”一行。")
    print_run = models.PositiveIntegerField("印数", null=True, blank=True, help_text="版记“共印N份”；留空时用站点设置的印数。")
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="最后修改人"
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)
    snapshot = models.ForeignKey(
        "bulletins.IssueSnapshot", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
        related_name="+", verbose_name="当前签发快照", help_text="公开页面显示的签发快照，由签发、更正和导入写入。",
    )
    public_seal = models.CharField("发布状态签名", max_length=64, blank=True, editable=False,
                                   help_text="年份、期号、状态、发布时间和当前快照哈希的 HMAC-SHA256（bulletins/seals.py）。")

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = "期刊"
        verbose_name_plural = "期刊"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="unique_issue_year_number",
                                    violation_error_message="该年份的这一期已经存在。"),
            models.CheckConstraint(condition=Q(year__gte=1949, year__lte=2100), name="issue_year_in_range",
                                   violation_error_message="年份应在1949至2100之间。"),
            models.CheckConstraint(condition=Q(number__gte=1), name="issue_number_positive",
                                   violation_error_message="期号应从1开始。"),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="published_issue_has_publish_time",
                violation_error_message="已发布的期刊必须有发布时间。",
            ),
        ]
        permissions = [
            ("submit_issue", "提交审核"),
            ("review_issue", "审核期刊（通过或退回）"),
            ("sign_issue", "签发期刊（发布、定时发布、撤稿、更正）"),
        ]

    def __str__(self):
        return self.title or self.default_title()

    def default_title(self, bulletin_name=None):
        bulletin_name = bulletin_name or SiteSettings.load().bulletin_name
        return f"{self.year}年{bulletin_name}(第{self.number}期)"

    def save(self, *args, **kwargs):
        if not self.title:
            self.title = self.default_title()
        if self.dated_at is None and self.published_at is not None:
            self.dated_at = self.published_at  # no date of its own: dated by its publish time
        update_fields = kwargs.get("update_fields")
        if update_fields is None or set(update_fields) & set(seals.ISSUE_FIELDS):
            sha256 = (IssueSnapshot.objects.filter(pk=self.snapshot_id).values_list("sha256", flat=True).first()
                      if self.snapshot_id else "")
            self.public_seal = seals.issue_seal(self, sha256)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "public_seal"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("bulletins:issue_detail", args=[self.year, self.number])

    def get_print_url(self):
        return reverse("bulletins:issue_print", args=[self.year, self.number])

    def get_pdf_url(self):
        return reverse("bulletins:issue_pdf", args=[self.year, self.number])

    def distribution(self, site=None):
        """The 版记 this issue prints: its own 报/送/发 when any is filled, else the site's default."""
        site = site or SiteSettings.load()
        return Distribution.chosen({name: getattr(self, name) for name in Distribution.FIELDS},
                                   {name: getattr(site, name) for name in Distribution.FIELDS})

    @property
    def is_published(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at is not None and not self.is_published

    @property
    def is_withdrawn_from_public(self):
        """Withdrawn, or reopened after withdrawal and not yet public again: the public URL answers 410."""
        return self.status == self.Status.WITHDRAWN or (not self.is_published and bool(self.withdrawn_reason))

    def _after(self):
        """Issues that come after this one in reading order (刊期日期, then year and number)."""
        return Q(dated_at__gt=self.dated_at) | Q(dated_at=self.dated_at, year__gt=self.year) | Q(
            dated_at=self.dated_at, year=self.year, number__gt=self.number)

    def _before(self):
        return Q(dated_at__lt=self.dated_at) | Q(dated_at=self.dated_at, year__lt=self.year) | Q(
            dated_at=self.dated_at, year=self.year, number__lt=self.number)

    def newer(self):
        """上一篇 on the public page: the next published issue after this one."""
        if self.dated_at is None:
            return None
        return (
            Issue.objects.published().filter(self._after())
            .order_by("dated_at", "year", "number")
            .only("year", "number", "title")
            .first()
        )

    def older(self):
        """下一篇 on the public page: the published issue before this one."""
        if self.dated_at is None:
            return None
        return Issue.objects.published().filter(self._before()).newest_first().only("year", "number", "title").first()


class Entry(models.Model):
    """One ● item (条目) inside a section of an issue."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries", verbose_name="期刊")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="entries", verbose_name="栏目")
    order = models.PositiveSmallIntegerField("栏目内排序", default=0)
    body = models.TextField("正文", help_text="保存时会清理不安全的HTML。")
    date_text = models.CharField(
        "日期（原文）", max_length=20, blank=True, help_text="照原文填写，如“3月15日”“近日”；“近日”不填具体日期。"
    )
    event_date = models.DateField("事件日期", null=True, blank=True)
    plain_text = models.TextField("纯文本", blank=True, editable=False)
    public_seal = models.CharField("签发签名", max_length=64, blank=True, editable=False,
                                   help_text="签发时条目所属期刊、栏目、日期和纯文本的 HMAC-SHA256（bulletins/seals.py）。")
    people = models.ManyToManyField(Person, through="EntryPerson", blank=True, related_name="entries", verbose_name="人物")
    units = models.ManyToManyField(Unit, blank=True, related_name="entries", verbose_name="单位")

    class Meta:
        verbose_name = "条目"
        verbose_name_plural = "条目"
        ordering = ["section__order", "section_id", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(date_text__in=UNDATED_WORDS) | Q(event_date__isnull=True),
                name="recent_entry_has_no_false_date",
                violation_error_message="“近日”“日前”的条目不能填写具体日期。",
            ),
        ]

    def __str__(self):
        text = self.plain_text or html_to_text(self.body)
        return text[:30] + ("…" if len(text) > 30 else "")

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        self.plain_text = html_to_text(self.body)
        super().save(*args, **kwargs)


class EntryPerson(models.Model):
    """A person named in an entry, with the title exactly as that entry wrote it."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="entry_people", verbose_name="条目")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="entry_people", verbose_name="人物")
    title_as_written = models.CharField("文中职务", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    public_seal = models.CharField("签发签名", max_length=64, blank=True, editable=False,
                                   help_text="签发时条目、人物和文中职务的 HMAC-SHA256（bulletins/seals.py）。")

    class Meta:
        verbose_name = "条目人物"
        verbose_name_plural = "条目人物"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["entry", "person"], name="unique_entry_person")]

    def __str__(self):
        return f"{self.title_as_written}{self.person.name}"
