from . import entries, images, issues, registry, site, wording  # noqa: F401  (registers the admin classes)
