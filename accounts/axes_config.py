from axes.apps import AppConfig as AxesAppConfig
from django.utils import timezone


def _when(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (its strings: locale/zh_Hans)."""

    verbose_name = "登录锁定"

    def ready(self):
        super().ready()
        from axes.admin import AccessAttemptAdmin
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        # A method column without a description: Django shows its name, “Status”.
        AccessAttemptAdmin.status.short_description = "状态"
        # Their __str__ is English and untranslatable; the admin shows it in titles and checkboxes.
        AccessAttempt.__str__ = lambda self: f"{self.username} 于 {_when(self.attempt_time)} 登录失败"
        AccessLog.__str__ = lambda self: f"{self.username} 于 {_when(self.attempt_time)} 登录"
        AccessFailureLog.__str__ = lambda self: (
            f"{self.username} 于 {_when(self.attempt_time)} 从 {self.ip_address} 登录失败"
            + ("（已锁定）" if self.locked_out else ""))
