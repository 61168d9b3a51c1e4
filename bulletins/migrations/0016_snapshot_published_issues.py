"""Sign a snapshot of every issue already published, so that `migrate` leaves none unserved.

Since migration 0018 the signing runs there, after the columns the application's code now
writes (the issue's and the entries' seals) exist; here it is a no-op, kept for the history.

It uses the application's own code (bulletins.snapshots), not the historical models:
django-reversion serialises with the registered models, and the snapshot must be rendered by
the same templates the public pages use. Each one is recorded in the audit log like any signing,
attributed to whoever last published the issue.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0015_snapshots"), ("accounts", "0008_reporting_unit")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
