"""The production settings as `.ci/two_servers.py` runs them: all of prod.py, except that static
files are served uncollected (compressing CKEditor's thousands of files takes minutes on CI)."""

from .prod import *  # noqa: F401,F403
from .prod import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
