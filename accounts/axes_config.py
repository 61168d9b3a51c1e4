from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    """django-axes under a Chinese name in the admin (its strings: locale/zh_Hans)."""

    verbose_name = "登录锁定"
