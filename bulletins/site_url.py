"""Absolute links for what leaves the site (mails, feeds, robots.txt): the canonical SITE_URL.

Behind nginx a request may arrive under an internal name; a mail sent from a command has no
request at all. SITE_URL (e.g. https://wenming.example.gov.cn) wins whenever it is set.
"""

from django.conf import settings


def absolute_url(path, request=None):
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return path
