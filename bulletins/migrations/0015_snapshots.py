"""Signed snapshots of published issues; on PostgreSQL the database refuses to change or delete one."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION bulletins_issuesnapshot_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = '签发快照不能修改或删除（' || TG_OP || '）';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER bulletins_issuesnapshot_immutable
    BEFORE UPDATE OR DELETE ON bulletins_issuesnapshot
    FOR EACH ROW EXECUTE FUNCTION bulletins_issuesnapshot_immutable();
"""

DROP = """
DROP TRIGGER IF EXISTS bulletins_issuesnapshot_immutable ON bulletins_issuesnapshot;
DROP FUNCTION IF EXISTS bulletins_issuesnapshot_immutable();
"""


def _run(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('bulletins', '0014_fill_entry_bands'),
        ('reversion', '0002_add_index_on_version_for_content_type_and_db'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SnapshotCheck',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('checked_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='核验时间')),
                ('source', models.CharField(choices=[('command', '手动核验'), ('periodic', '定期核验'), ('public_page', '公开页面')], max_length=20, verbose_name='来源')),
                ('passed', models.BooleanField(verbose_name='通过')),
                ('checked', models.PositiveIntegerField(default=0, verbose_name='核验期数')),
                ('problems', models.TextField(blank=True, verbose_name='问题')),
            ],
            options={
                'verbose_name': '快照核验',
                'verbose_name_plural': '快照核验',
                'ordering': ['-checked_at', '-id'],
            },
        ),
        migrations.CreateModel(
            name='IssueSnapshot',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('issue_version', models.PositiveIntegerField(verbose_name='期刊版本')),
                ('site_values', models.JSONField(default=dict, verbose_name='签发时的站点设置')),
                ('detail_html', models.TextField(verbose_name='阅读页正文')),
                ('print_html', models.TextField(verbose_name='打印版正文')),
                ('plain_text', models.TextField(verbose_name='纯文本')),
                ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                ('signed_at', models.DateTimeField(verbose_name='签发时间')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='创建时间')),
                ('issue', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='snapshots', to='bulletins.issue', verbose_name='期刊')),
                ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='reversion.revision', verbose_name='签发的修订版本')),
                ('signed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='签发人')),
            ],
            options={
                'verbose_name': '签发快照',
                'verbose_name_plural': '签发快照',
                'ordering': ['-created_at', '-id'],
                'base_manager_name': 'objects',
            },
        ),
        migrations.AddField(
            model_name='issue',
            name='snapshot',
            field=models.ForeignKey(blank=True, editable=False, help_text='公开页面显示的签发快照，由签发、更正和导入写入。', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='bulletins.issuesnapshot', verbose_name='当前签发快照'),
        ),
        migrations.RunPython(_run(CREATE), _run(DROP)),
    ]
