from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    """The 通讯员 role, and the inbox and 考评 permissions of the office's roles."""

    dependencies = [
        ("submissions", "0001_submissions"),
        ("accounts", "0008_reporting_unit"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
