"""Signed snapshots (签发快照) of published issues, and the record of their verification.

A snapshot is the article of an issue as the signer published it — the detail page's part, the
print view's part and the plain text — with the SHA-256 of the three. It is written once and never
changed: the model refuses to save an existing row or delete one, and on PostgreSQL a trigger
refuses UPDATE and DELETE (migration 0015). bulletins/snapshots.py writes and checks them.
"""

from django.conf import settings
from django.db import models

from wenming.append_only import AppendOnlyQuerySet


class SnapshotIsImmutable(Exception):
    def __init__(self, message="签发快照不能修改或删除。"):
        super().__init__(message)


class IssueSnapshotQuerySet(AppendOnlyQuerySet):
    refusal = SnapshotIsImmutable


class IssueSnapshot(models.Model):
    issue = models.ForeignKey("bulletins.Issue", on_delete=models.PROTECT, related_name="snapshots",
                              verbose_name="期刊")
    issue_version = models.PositiveIntegerField("期刊版本")
    revision = models.ForeignKey("reversion.Revision", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name="签发的修订版本")
    # The masthead and default 版记 values of the site as signed: a later change of the site
    # settings changes the site's header and footer, not a signed issue.
    site_values = models.JSONField("签发时的站点设置", default=dict)
    # The section, person and unit names as signed ({"sections"|"people"|"units": {"pk": name}}),
    # covered by the hash: a later rename in the registry is a normal edit, not a tampering, and
    # the verification renders with these names for the pks they name.
    names = models.JSONField("签发时的栏目、人物和单位名称", default=dict)
    detail_html = models.TextField("阅读页正文")
    print_html = models.TextField("打印版正文")
    plain_text = models.TextField("纯文本")
    sha256 = models.CharField("SHA-256", max_length=64)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name="签发人")
    signed_at = models.DateTimeField("签发时间")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = IssueSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = "签发快照"
        verbose_name_plural = "签发快照"
        base_manager_name = "objects"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.issue.year}年第{self.issue.number}期 · 版本 {self.issue_version}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SnapshotIsImmutable()
        super().save(*args, **kwargs)
        # The issue points at its newest snapshot, so the public page reads both in one query;
        # its seal and its entries' seals now name this snapshot (bulletins/seals.py).
        from bulletins.seals import seal_signed

        seal_signed(self)

    def delete(self, *args, **kwargs):
        raise SnapshotIsImmutable()


class SnapshotCheck(models.Model):
    """One verification of the snapshots (a run of verify_snapshots, or a public page that refused
    to serve one). The newest record decides whether the admin index shows the blocking alert."""

    class Source(models.TextChoices):
        COMMAND = "command", "手动核验"
        PERIODIC = "periodic", "定期核验"
        PUBLIC_PAGE = "public_page", "公开页面"

    checked_at = models.DateTimeField("核验时间", auto_now_add=True, db_index=True)
    source = models.CharField("来源", max_length=20, choices=Source.choices)
    passed = models.BooleanField("通过")
    checked = models.PositiveIntegerField("核验期数", default=0)
    problems = models.TextField("问题", blank=True)

    class Meta:
        verbose_name = "快照核验"
        verbose_name_plural = "快照核验"
        ordering = ["-checked_at", "-id"]

    def __str__(self):
        return f"{self.get_source_display()} {'通过' if self.passed else '发现问题'}"
