from django.db import migrations

from accounts.roles import sync_roles


class Migration(migrations.Migration):
    """Give the roles the permission to read the workflow log (bulletins.IssueTransition)."""

    dependencies = [
        ("accounts", "0002_roles"),
        ("bulletins", "0006_workflow_log"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
