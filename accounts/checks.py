"""Deploy checks (`manage.py check --deploy`) for what the production settings cannot see alone."""

import os

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """A local-memory cache is one per process: never stale (the content generation is read from
    the database, bulletins/public_cache.py), but every worker renders and holds its own copy of
    every page, so the cache helps little and memory grows with the number of workers.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache") and os.environ.get("GUNICORN_WORKERS", "").strip() != "1":
        return [checks.Warning(
            "缓存是每个进程各自的本地内存：多个 gunicorn 进程时每个进程各自生成并保存全部页面，缓存效果差、内存成倍占用。",
            hint="设置 REDIS_URL 使用共享的 Redis 缓存（见 docs/deploy.md），或设置 GUNICORN_WORKERS=1 只运行一个进程。",
            id="wenming.W001",
        )]
    return []
