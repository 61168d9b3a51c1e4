from . import audit_log, users  # noqa: F401  (registers the admin classes)
