from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("submissions", "0003_transition_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(
                condition=models.Q(models.Q(("state", "draft"), _negated=True), ("submitted_at__isnull", False)),
                fields=["-submitted_at", "-id"],
                name="submission_sent_newest",
            ),
        ),
    ]
