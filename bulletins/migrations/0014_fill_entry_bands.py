from django.db import migrations

from bulletins.nearcopies import keys


def fill(apps, schema_editor):
    Entry = apps.get_model("bulletins", "Entry")
    EntryBand = apps.get_model("bulletins", "EntryBand")
    batch = []
    for entry_id, text in Entry.objects.values_list("pk", "plain_text").iterator(chunk_size=2000):
        batch += [EntryBand(entry_id=entry_id, key=key) for key in keys(text)]
        if len(batch) >= 5000:
            EntryBand.objects.bulk_create(batch)
            batch = []
    EntryBand.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [("bulletins", "0013_entry_bands")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
