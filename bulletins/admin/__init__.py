from . import issues, registry, site  # noqa: F401  (registers the admin classes)
