import re

from django.db import models

from .public import PersonQuerySet, UnitQuerySet

NAME_SEPARATORS = re.compile(r"[、，,;；\s]+")


class Person(models.Model):
    """A leader or other named person; titles change over time (see PersonTitle)."""

    name = models.CharField("姓名", max_length=50, db_index=True)
    title = models.CharField("现任职务", max_length=200, blank=True, help_text="如：市委常委、宣传部部长")
    note = models.CharField("备注", max_length=200, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "人物"
        verbose_name_plural = "人物"
        ordering = ["name", "id"]

    def __str__(self):
        return f"{self.title}{self.name}" if self.title else self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("bulletins:person", args=[self.pk])


class PersonTitle(models.Model):
    """A title a person held over a period, so a title can be checked against a date."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="titles", verbose_name="人物")
    title = models.CharField("职务", max_length=200)
    start_date = models.DateField("任职起", null=True, blank=True)
    end_date = models.DateField("任职止", null=True, blank=True, help_text="空表示至今。")

    class Meta:
        verbose_name = "任职记录"
        verbose_name_plural = "任职记录"
        ordering = ["person", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start_date__isnull=True)
                | models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="person_title_dates_in_order",
                violation_error_message="任职止日期不能早于任职起日期。",
            )
        ]

    def __str__(self):
        return f"{self.person.name}：{self.title}"


class Unit(models.Model):
    """A department, district, organisation or other city named in entries."""

    class Kind(models.TextChoices):
        PARTY = "party", "党委部门"
        GOVERNMENT = "government", "政府部门"
        DISTRICT = "district", "县区"
        STREET = "street", "乡镇街道社区"
        ORGANISATION = "organisation", "群团及社会组织"
        INSTITUTION = "institution", "企事业单位"
        OTHER_CITY = "other_city", "外地城市"
        OTHER = "other", "其他"

    name = models.CharField("全称", max_length=100, unique=True)
    short_names = models.CharField(
        "简称或别名", max_length=200, blank=True, help_text="用顿号或逗号分隔，如：市残联、残联"
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("bulletins:unit", args=[self.pk])

    @property
    def aliases(self):
        return [name for name in NAME_SEPARATORS.split(self.short_names) if name]

    @property
    def all_names(self):
        return [self.name, *self.aliases]
