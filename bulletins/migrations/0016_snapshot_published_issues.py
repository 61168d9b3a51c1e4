"""Sign a snapshot of every issue already published, so that `migrate` leaves none unserved.

This uses the application's own code (bulletins.snapshots), not the historical models:
django-reversion serialises with the registered models, and the snapshot must be rendered by
the same templates the public pages use. Each one is recorded in the audit log like any signing,
attributed to whoever last published the issue.
"""

from django.db import migrations


def sign_published(apps, schema_editor):
    from bulletins.models import Issue, IssueTransition
    from bulletins.snapshots import sign_with_revision

    unsigned = Issue.objects.filter(status=Issue.Status.PUBLISHED, snapshot__isnull=True).order_by("pk")
    for issue in unsigned.iterator(chunk_size=200):
        last_publish = (IssueTransition.objects.filter(issue=issue, action=IssueTransition.Action.PUBLISH)
                        .select_related("by").order_by("-pk").first())
        sign_with_revision(issue, by=last_publish.by if last_publish else None,
                           comment="升级时补记签发快照")


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0015_snapshots"), ("accounts", "0008_reporting_unit")]

    operations = [migrations.RunPython(sign_published, migrations.RunPython.noop)]
