"""The audit log becomes a hash chain (accounts/audit_chain.py): existing records are chained in
id order, the chain head is created, and on PostgreSQL TRUNCATE is refused on both tables."""

from django.db import migrations, models

from accounts.audit_chain import FIELDS, GENESIS, HEAD_ID, digest

# Statement-level: TRUNCATE fires no row trigger. A session may allow it explicitly with
# `SET wenming.audit_truncate = on` (the test settings do, for the test runner's flush); only the
# tables' owner can truncate at all, and the runtime role is not the owner (docs/deploy.md).
GUARD = """
CREATE OR REPLACE FUNCTION wenming_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('wenming.audit_truncate', true) = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION USING MESSAGE = '审计记录只能追加，不能清空（TRUNCATE ' || TG_TABLE_NAME || '）';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER accounts_auditevent_no_truncate BEFORE TRUNCATE ON accounts_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION wenming_audit_no_truncate();
CREATE TRIGGER accounts_auditchainhead_no_truncate BEFORE TRUNCATE ON accounts_auditchainhead
    FOR EACH STATEMENT EXECUTE FUNCTION wenming_audit_no_truncate();
"""

UNGUARD = """
DROP TRIGGER IF EXISTS accounts_auditevent_no_truncate ON accounts_auditevent;
DROP TRIGGER IF EXISTS accounts_auditchainhead_no_truncate ON accounts_auditchainhead;
DROP FUNCTION IF EXISTS wenming_audit_no_truncate();
"""


def chain_existing_records(apps, schema_editor):
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    AuditChainHead = apps.get_model("accounts", "AuditChainHead")
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:  # the append-only trigger of 0005 refuses UPDATE, this once included
        schema_editor.execute("ALTER TABLE accounts_auditevent DISABLE TRIGGER accounts_auditevent_append_only")
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator():
        row_hash = digest({name: getattr(event, name) for name in FIELDS}, prev)
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, row_hash=row_hash)
        prev = row_hash
    if postgresql:
        schema_editor.execute("ALTER TABLE accounts_auditevent ENABLE TRIGGER accounts_auditevent_append_only")
    AuditChainHead.objects.create(pk=HEAD_ID, last_hash=prev, anchor=GENESIS)


def _postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_account_roles'),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditChainHead',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('last_hash', models.CharField(max_length=64, verbose_name='最后一条哈希')),
                ('anchor', models.CharField(help_text='保留的第一条审计记录应接续的哈希。', max_length=64, verbose_name='链起点')),
            ],
            options={
                'verbose_name': '审计链头',
                'verbose_name_plural': '审计链头',
            },
        ),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'base_manager_name': 'objects', 'ordering': ['-created_at', '-id'], 'permissions': [('export_auditevent', '导出审计记录')], 'verbose_name': '审计记录', 'verbose_name_plural': '审计记录'},
        ),
        migrations.AddField(
            model_name='auditevent',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='前一条哈希'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='row_hash',
            field=models.CharField(blank=True, editable=False, help_text='本条内容与前一条哈希的 HMAC-SHA256，manage.py verify_audit_log 逐条核对。', max_length=64, verbose_name='本条哈希'),
        ),
        migrations.RunPython(chain_existing_records, migrations.RunPython.noop),
        migrations.RunPython(_postgresql(GUARD), _postgresql(UNGUARD)),
    ]
