"""Deploy checks (`manage.py check --deploy`) for what the production settings cannot see alone."""

import os

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_cache(app_configs, **kwargs):
    """A local-memory cache is one per process: never stale (the page numbers are read from
    the database, bulletins/page_stamps.py), but every worker renders and holds its own copy of
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


AUDIT_TABLES = ("accounts_auditevent", "accounts_auditchainhead")


def _runtime_role_controls_audit_table():
    """True when the role the site runs as owns the audit table (or is a superuser): it could then
    TRUNCATE it, ALTER it or disable its triggers. None when that cannot be read."""
    from django.db import DatabaseError, connection

    if connection.vendor != "postgresql":
        return False
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_has_role(current_user, tableowner, 'USAGE')"
                " OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
                " FROM pg_tables WHERE tablename = %s", [AUDIT_TABLES[0]])
            row = cursor.fetchone()
    except DatabaseError:
        return None
    return bool(row and row[0])


@checks.register(checks.Tags.security, deploy=True)
def audit_table_owner(app_configs, **kwargs):
    """docs/deploy.md: migrations run as the owner role, the site as a runtime role that may only
    INSERT and SELECT the audit log (`manage.py grant_runtime_role`)."""
    if _runtime_role_controls_audit_table():
        return [checks.Warning(
            "网站运行所用的数据库角色拥有审计记录表（或是超级用户）：它可以清空、修改审计表或停用其保护触发器。",
            hint="按 docs/deploy.md 建立两个角色：属主角色只用于 migrate，网站以运行角色连接"
                 "（manage.py grant_runtime_role 授予其权限），DATABASE_URL 使用运行角色。",
            id="wenming.W101",
        )]
    return []


@checks.register(deploy=True)
def outgoing_mail(app_configs, **kwargs):
    """Workflow notifications (bulletins/notifications.py) need a mail server and absolute links."""
    warnings = []
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        warnings.append(checks.Warning(
            "邮件仍使用控制台后端：流转通知只写到日志，不会发出。",
            hint="设置 EMAIL_HOST（以及 EMAIL_PORT、EMAIL_HOST_USER、EMAIL_HOST_PASSWORD、EMAIL_USE_TLS 或 EMAIL_USE_SSL），见 docs/deploy.md。",
            id="wenming.W102",
        ))
    if not getattr(settings, "SITE_URL", ""):
        warnings.append(checks.Warning(
            "未设置 SITE_URL：通知邮件和订阅中的链接没有站点地址。",
            hint="设置 SITE_URL 为站点的正式地址，如 https://wenming.example.gov.cn。",
            id="wenming.W103",
        ))
    return warnings
