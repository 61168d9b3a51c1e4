from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "简报"

    def ready(self):
        from . import signals  # noqa: F401  (connects the public-cache handlers)
