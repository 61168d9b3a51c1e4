from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "账号与审计"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import checks, signals  # noqa: F401  (registers the deploy checks, connects the audit receivers)

        post_migrate.connect(_sync_roles_after_migrate, dispatch_uid="accounts.sync_roles")


def _sync_roles_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """Roles are defined in accounts.roles; re-apply them after every migrate (and flush)."""
    from django.apps import apps as global_apps

    from .roles import sync_roles

    if app_config is not None and app_config.label == list(global_apps.app_configs)[-1]:
        sync_roles(apps or global_apps)
