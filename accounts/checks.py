"""Deploy checks (`manage.py check --deploy`) for what the production settings cannot see alone."""

import os

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """The public pages' cache is invalidated on publish and withdraw (bulletins/public_cache.py).

    A local-memory cache is one per process: with several gunicorn workers the others would serve
    a withdrawn issue for up to PUBLIC_CACHE_TIMEOUT more seconds.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith("LocMemCache") and os.environ.get("GUNICORN_WORKERS", "").strip() != "1":
        return [checks.Warning(
            "缓存是每个进程各自的本地内存：多个 gunicorn 进程时，撤稿或发布后其他进程仍可能在几分钟内提供旧页面。",
            hint="设置 REDIS_URL 使用共享的 Redis 缓存（见 docs/deploy.md），或设置 GUNICORN_WORKERS=1 只运行一个进程。",
            id="wenming.W001",
        )]
    return []
