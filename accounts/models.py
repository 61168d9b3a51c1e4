import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from wenming.append_only import AppendOnlyQuerySet


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or delete an audit record through the application."""

    def __init__(self, message="审计记录只能追加，不能修改或删除。"):
        super().__init__(message)


class User(AbstractUser):
    """An account of the creation office: editor, reviewer, signer, administrator or auditor."""

    real_name = models.CharField("真实姓名", max_length=50, blank=True)
    unit = models.CharField("所在单位", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    reporting_unit = models.ForeignKey(
        "bulletins.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="correspondents",
        verbose_name="报送单位", help_text="通讯员必填：只能查看和报送这个单位的信息。其他角色留空。",
    )
    must_change_password = models.BooleanField(
        "下次登录须修改密码", default=False, help_text="重置密码后自动勾选，用户修改密码后取消。"
    )
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"
        permissions = [
            ("reset_password_user", "重置用户密码"),
            ("unlock_user", "解除登录锁定"),
        ]

    def __str__(self):
        return f"{self.real_name}（{self.username}）" if self.real_name else self.username

    @property
    def display_name(self):
        return self.real_name or self.username

    # The admin greets “欢迎，张三” (it falls back to the username when there is no real name).
    def get_short_name(self):
        return self.real_name

    def get_full_name(self):
        return self.real_name

    def save(self, *args, **kwargs):
        if self.password_changed_at is None:
            self.password_changed_at = timezone.now()
        super().save(*args, **kwargs)

    def set_password(self, raw_password):
        """A password the user chose clears the must-change flag; a reset sets it again afterwards."""
        super().set_password(raw_password)
        self.password_changed_at = timezone.now()
        self.must_change_password = False

    @property
    def password_expired(self):
        days = getattr(settings, "PASSWORD_EXPIRY_DAYS", 90)
        if not days or self.password_changed_at is None:
            return False
        return timezone.now() >= self.password_changed_at + datetime.timedelta(days=days)

    @property
    def needs_password_change(self):
        return self.must_change_password or self.password_expired


class PasswordHistory(models.Model):
    """A hash of a password a user once had, so the policy can refuse the last few."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-id"]


class AuditEventQuerySet(AppendOnlyQuerySet):
    """Every ORM path that changes or deletes rows refuses; it is also the base manager's."""

    refusal = AuditLogIsAppendOnly

    def bulk_create(self, objs, *args, **kwargs):
        """Each record is chained onto the one before, so they are appended one at a time."""
        for obj in objs:
            obj.save(using=self.db)
        return objs

    def prune(self, *, older_than):
        """Delete the oldest records, created before `older_than`, as a prefix of the chain.

        Only `prune_audit_log` calls this. The chain head's anchor becomes the hash the first kept
        record points to, so `verify_audit_log` still accepts the shortened chain.
        Returns the number deleted.
        """
        from django.db import connection, transaction

        from .audit_chain import locked_head, seal_head

        with transaction.atomic():
            head = locked_head(AuditChainHead)
            first_kept = AuditEvent.objects.filter(created_at__gte=older_than).order_by("id").first()
            doomed = self.all() if first_kept is None else self.filter(id__lt=first_kept.id)
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL wenming.audit_prune = 'on'")
            deleted = models.QuerySet._raw_delete(doomed, doomed.db)
            head.anchor = first_kept.prev_hash if first_kept is not None else head.last_hash
            head.count -= deleted
            seal_head(head)
            head.save(update_fields=["anchor", "count", "seal"])
        return deleted


class AuditEvent(models.Model):
    """One append-only audit record: who did what to which object, from where, with what outcome."""

    class Outcome(models.TextChoices):
        SUCCESS = "success", "成功"
        FAILURE = "failure", "失败"

    created_at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="用户"
    )
    username = models.CharField("用户名", max_length=150, blank=True)
    ip_address = models.GenericIPAddressField("客户端地址", null=True, blank=True)
    action = models.CharField("操作", max_length=50, db_index=True)
    object_type = models.CharField("对象类型", max_length=100, blank=True)
    object_id = models.CharField("对象ID", max_length=64, blank=True)
    object_repr = models.CharField("对象", max_length=200, blank=True)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    detail = models.TextField("详情", blank=True)
    prev_hash = models.CharField("前一条哈希", max_length=64, blank=True, editable=False)
    row_hash = models.CharField("本条哈希", max_length=64, blank=True, editable=False,
                                help_text="本条内容与前一条哈希的 HMAC-SHA256，manage.py verify_audit_log 逐条核对。")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"
        base_manager_name = "objects"
        ordering = ["-created_at", "-id"]
        permissions = [("export_auditevent", "导出审计记录")]

    def __str__(self):
        from .audit import action_label  # audit.py imports this module

        when = timezone.localtime(self.created_at).strftime("%Y-%m-%d %H:%M:%S")
        return " ".join(part for part in [when, self.username, action_label(self.action)] if part)

    def save(self, *args, **kwargs):
        from .audit_chain import append

        if not self._state.adding:
            raise AuditLogIsAppendOnly()
        self._state.db = kwargs.get("using") or self._state.db
        append(self, lambda: super(AuditEvent, self).save(*args, **kwargs))

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly()


class AuditChainHead(models.Model):
    """The one row that serialises appends to the audit chain and remembers its two ends."""

    last_hash = models.CharField("最后一条哈希", max_length=64)
    anchor = models.CharField("链起点", max_length=64, help_text="保留的第一条审计记录应接续的哈希。")
    count = models.PositiveBigIntegerField("记录条数", default=0)
    seal = models.CharField("链头哈希", max_length=64, blank=True,
                            help_text="最后一条哈希、链起点和记录条数的 HMAC-SHA256，改写链头即可发现。")

    class Meta:
        verbose_name = "审计链头"
        verbose_name_plural = "审计链头"
