from . import images, issues, registry, site  # noqa: F401  (registers the admin classes)
