from django.db import migrations

SECTIONS = [
    ("领导活动", "leaders", 10),
    ("单位行动", "units", 20),
    ("一线经验", "experience", 30),
    ("同创资讯", "news", 40),
    ("他山之石", "elsewhere", 50),
]


def create_sections(apps, schema_editor):
    Section = apps.get_model("bulletins", "Section")
    for name, slug, order in SECTIONS:
        Section.objects.get_or_create(name=name, defaults={"slug": slug, "order": order})


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0001_initial")]
    operations = [migrations.RunPython(create_sections, migrations.RunPython.noop)]
