"""The audit chain head counts its records and is sealed with the chain key (accounts/audit_chain.py)."""

from django.db import migrations, models

from accounts.audit_chain import HEAD_ID, head_seal


def seal_the_head(apps, schema_editor):
    AuditChainHead = apps.get_model("accounts", "AuditChainHead")
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    if head is not None:
        head.count = AuditEvent.objects.count()
        head.seal = head_seal(head.last_hash, head.anchor, head.count)
        head.save(update_fields=["count", "seal"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0008_reporting_unit"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditchainhead",
            name="count",
            field=models.PositiveBigIntegerField(default=0, verbose_name="记录条数"),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="seal",
            field=models.CharField(blank=True, help_text="最后一条哈希、链起点和记录条数的 HMAC-SHA256，改写链头即可发现。",
                                   max_length=64, verbose_name="链头哈希"),
        ),
        migrations.RunPython(seal_the_head, migrations.RunPython.noop),
    ]
