from django.db import models


class SiteSettings(models.Model):
    """The one row of settings an administrator edits: names, office, footer, licences."""

    site_name = models.CharField("网站名称", max_length=100, default="巴中文明网")
    bulletin_name = models.CharField(
        "简报名称", max_length=50, default="文明城市创建", help_text="用于期刊标题和红头，如“文明城市创建”。"
    )
    issuing_office = models.CharField(
        "编印单位", max_length=100, default="巴中市创建全国文明城市工作指挥部办公室", help_text="印在红头下方。"
    )
    footer_text = models.CharField("页脚文字", max_length=200, blank=True, default="主办：中共巴中市委宣传部")
    contact = models.CharField("联系方式", max_length=200, blank=True)
    icp_number = models.CharField("ICP备案号", max_length=50, blank=True)
    police_number = models.CharField("公安备案号", max_length=50, blank=True)
    # The printed 简报's 版记: what every issue prints unless its signer gives it its own.
    report_to = models.CharField(
        "报", max_length=300, blank=True, default="市创建全国文明城市工作指挥部领导",
        help_text="版记“报：”一行的默认值（上级机关、领导）；各期可另填。",
    )
    send_to = models.CharField(
        "送", max_length=300, blank=True, default="市委、市人大、市政府、市政协领导同志",
        help_text="版记“送：”一行的默认值；留空则不印这一行。",
    )
    issue_to = models.CharField(
        "发", max_length=300, blank=True, default="各县（区）创文办，市级各部门",
        help_text="版记“发：”一行的默认值。",
    )
    print_run = models.PositiveIntegerField(
        "印数", default=100, help_text="版记“共印N份”的默认值；各期可另填。"
    )
    signer_name = models.CharField(
        "签发人", max_length=20, blank=True, help_text="填写后印在红头右下方，如“签发人：张三”；留空则不印。"
    )
    internal_marking = models.BooleanField(
        "标注“内部资料 注意保存”", default=False, help_text="勾选后印在红头左上方。"
    )

    class Meta:
        verbose_name = "站点设置"
        verbose_name_plural = "站点设置"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="site_settings_singleton")]

    def __str__(self):
        return "站点设置"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)  # the save starts a new content generation (bulletins/signals.py)

    @classmethod
    def load(cls, generation=None):
        """The settings, cached within the content generation (pass the request's, if known)."""
        from ..public_cache import cached_value

        return cached_value("site-settings", cls._stored_or_default, generation=generation)

    @classmethod
    def _stored_or_default(cls):
        # The default row is written without save() signals: it changes nothing readers see, and a
        # new generation here would orphan the value being cached (a flushed or new database).
        settings_row = cls.objects.filter(pk=1).first()
        if settings_row is None:
            cls.objects.bulk_create([cls(pk=1)], ignore_conflicts=True)
            settings_row = cls.objects.get(pk=1)
        return settings_row
