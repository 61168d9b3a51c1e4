"""Issues, and the entries of signed issues with the people they name, are sealed
(bulletins/seals.py), as they are now.

First the published issues still without a snapshot are signed (0016's work, run here because the
application's code it uses now writes the seals); signing seals them and their entries.
"""

from django.db import migrations, models

from bulletins.seals import entry_seal, issue_seal, mention_seal


def sign_published(apps, schema_editor):
    from bulletins.models import Issue, IssueTransition
    from bulletins.snapshots import sign_with_revision

    unsigned = Issue.objects.filter(status=Issue.Status.PUBLISHED, snapshot__isnull=True).order_by("pk")
    for issue in unsigned.iterator(chunk_size=200):
        last_publish = (IssueTransition.objects.filter(issue=issue, action=IssueTransition.Action.PUBLISH)
                        .select_related("by").order_by("-pk").first())
        sign_with_revision(issue, by=last_publish.by if last_publish else None,
                           comment="升级时补记签发快照")


def seal_existing(apps, schema_editor):
    Issue = apps.get_model("bulletins", "Issue")
    Entry = apps.get_model("bulletins", "Entry")
    for issue in Issue.objects.select_related("snapshot").iterator():
        sha256 = issue.snapshot.sha256 if issue.snapshot_id else ""
        Issue.objects.filter(pk=issue.pk).update(public_seal=issue_seal(issue, sha256))
    for entry in Entry.objects.filter(issue__snapshot__isnull=False).iterator():
        Entry.objects.filter(pk=entry.pk).update(public_seal=entry_seal(entry))
    EntryPerson = apps.get_model("bulletins", "EntryPerson")
    for mention in EntryPerson.objects.filter(entry__issue__snapshot__isnull=False).iterator():
        EntryPerson.objects.filter(pk=mention.pk).update(public_seal=mention_seal(mention))


class Migration(migrations.Migration):

    dependencies = [
        ("bulletins", "0017_page_stamps"),
        ("accounts", "0009_audit_chain_head_seal"),
    ]

    operations = [
        migrations.AddField(
            model_name="issue",
            name="public_seal",
            field=models.CharField(blank=True, editable=False, max_length=64,
                                   help_text="年份、期号、状态、发布时间和当前快照哈希的 HMAC-SHA256（bulletins/seals.py）。",
                                   verbose_name="发布状态签名"),
        ),
        migrations.AddField(
            model_name="entry",
            name="public_seal",
            field=models.CharField(blank=True, editable=False, max_length=64,
                                   help_text="签发时条目所属期刊、栏目、日期和纯文本的 HMAC-SHA256（bulletins/seals.py）。",
                                   verbose_name="签发签名"),
        ),
        migrations.AddField(
            model_name="entryperson",
            name="public_seal",
            field=models.CharField(blank=True, editable=False, max_length=64,
                                   help_text="签发时条目、人物和文中职务的 HMAC-SHA256（bulletins/seals.py）。",
                                   verbose_name="签发签名"),
        ),
        migrations.RunPython(sign_published, migrations.RunPython.noop),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
