"""The production settings as `.ci/two_servers.py` and `bench/servers.py` run them: all of prod.py,
except that static files are served uncollected (compressing CKEditor's thousands of files takes
minutes on CI) and PUBLIC_PAGE_CACHE=0 renders every page afresh (the benchmark's uncached phase)."""

import os

from .prod import *  # noqa: F401,F403
from .prod import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PUBLIC_PAGE_CACHE = os.environ.get("PUBLIC_PAGE_CACHE", "1") != "0"
