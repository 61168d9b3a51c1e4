from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "简报"

    def ready(self):
        from . import search  # noqa: F401  (connects the search index signal handlers)
