"""Give the site's runtime PostgreSQL role what it needs, and on the audit log and the signed
snapshots of published issues no more than INSERT and SELECT. Run it as the owner role, after
every `migrate` (docs/deploy.md)."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.checks import AUDIT_TABLES


def statements(role):
    role = connection.ops.quote_name(role)
    event, head = (connection.ops.quote_name(table) for table in AUDIT_TABLES)
    snapshot = connection.ops.quote_name(apps.get_model("bulletins", "IssueSnapshot")._meta.db_table)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        # Tables a later migration creates: the owner role's default privileges cover them.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        f"REVOKE ALL ON {event} FROM {role}",
        f"GRANT SELECT, INSERT ON {event} TO {role}",
        f"REVOKE ALL ON {head} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE ON {head} TO {role}",
        f"REVOKE ALL ON {snapshot} FROM {role}",
        f"GRANT SELECT, INSERT ON {snapshot} TO {role}",
    ]


class Command(BaseCommand):
    help = "为网站运行所用的 PostgreSQL 角色授权：审计记录表和签发快照表只允许插入和查询（以属主角色在每次 migrate 后运行）。"

    def add_arguments(self, parser):
        parser.add_argument("role", help="运行角色名，例如 wenming_app")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("只有 PostgreSQL 需要也支持运行角色；SQLite 不区分角色。")
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements(role):
                cursor.execute(statement)
        self.stdout.write(f"已为角色 {role} 授权：审计记录表和签发快照表仅可插入和查询，其余表可读写。")
