from . import inbox, scoring  # noqa: F401  (registers the admin classes)
