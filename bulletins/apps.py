from django.apps import AppConfig


class BulletinsConfig(AppConfig):
    name = "bulletins"
    verbose_name = "简报"

    def ready(self):
        from . import revisions  # noqa: F401  (registers the models with django-reversion)
        from . import signals  # noqa: F401  (connects the public-cache handlers)
        from . import search  # noqa: F401  (connects the search index signal handlers)
        from . import nearcopies  # noqa: F401  (keeps the near-duplicate band keys)
