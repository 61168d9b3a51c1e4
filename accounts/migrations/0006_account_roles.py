from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    """系统管理员 may reset passwords and lift login locks; the audit roles stay apart."""

    dependencies = [
        ("accounts", "0005_audit_append_only"),
        ("axes", "0010_accessattemptexpiration"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
