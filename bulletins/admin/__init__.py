from . import entries, images, issues, registry, site, snapshots, wording  # noqa: F401  (registers the admin classes)
