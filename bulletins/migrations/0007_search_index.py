import django.db.models.deletion
from django.db import migrations, models


# PostgreSQL only: a tsvector generated from the tokens (no parser, the tokens are the lexemes)
# and its GIN index. The ORM does not know the column; bulletins/search.py queries it.
POSTGRES_FORWARD = [
    """ALTER TABLE bulletins_entrysearchindex ADD COLUMN vector tsvector
       GENERATED ALWAYS AS (array_to_tsvector(string_to_array(tokens, ' '))) STORED""",
    "CREATE INDEX bulletins_entrysearchindex_vector_gin ON bulletins_entrysearchindex USING gin (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS bulletins_entrysearchindex_vector_gin",
    "ALTER TABLE bulletins_entrysearchindex DROP COLUMN IF EXISTS vector",
]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


def index_existing_entries(apps, schema_editor):
    from bulletins.models.search import index_tokens, normalize, year_token

    Entry = apps.get_model("bulletins", "Entry")
    EntrySearchIndex = apps.get_model("bulletins", "EntrySearchIndex")
    rows = []
    for entry in Entry.objects.select_related("issue").iterator(chunk_size=2000):
        issue = entry.issue
        title, text = normalize(issue.title), normalize(entry.plain_text)
        rows.append(
            EntrySearchIndex(
                entry_id=entry.pk,
                issue_id=issue.pk,
                year=issue.year,
                number=issue.number,
                title=title,
                text=text,
                tokens=" ".join(filter(None, [index_tokens(title + "\n" + text), year_token(issue.year)])),
            )
        )
    EntrySearchIndex.objects.bulk_create(rows, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ("bulletins", "0006_workflow_log"),
    ]

    operations = [
        migrations.CreateModel(
            name='EntrySearchIndex',
            fields=[
                ('entry', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_index', serialize=False, to='bulletins.entry', verbose_name='条目')),
                ('year', models.PositiveSmallIntegerField(verbose_name='年份')),
                ('number', models.PositiveSmallIntegerField(verbose_name='期号')),
                ('title', models.TextField(blank=True, verbose_name='期刊标题（规范化）')),
                ('text', models.TextField(blank=True, verbose_name='正文（规范化）')),
                ('tokens', models.TextField(blank=True, verbose_name='检索词元')),
                ('issue', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='bulletins.issue', verbose_name='期刊')),
            ],
            options={
                'verbose_name': '检索索引',
                'verbose_name_plural': '检索索引',
            },
        ),
        migrations.RunPython(run_on_postgresql(POSTGRES_FORWARD), run_on_postgresql(POSTGRES_BACKWARD)),
        migrations.RunPython(index_existing_entries, migrations.RunPython.noop),
    ]
