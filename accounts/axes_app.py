"""django-axes (login lockout) under a Chinese name in the admin; its strings are in locale/.

In a module of its own: a second AppConfig in accounts/apps.py would hide AccountsConfig.
"""

from axes.apps import AppConfig


class AxesConfig(AppConfig):
    verbose_name = "登录锁定"
