import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill_units(apps, schema_editor):
    Submission = apps.get_model("submissions", "Submission")
    SubmissionTransition = apps.get_model("submissions", "SubmissionTransition")
    SubmissionTransition.objects.update(
        unit_id=Subquery(Submission.objects.filter(pk=OuterRef("submission_id")).values("unit_id")[:1])
    )


class Migration(migrations.Migration):

    dependencies = [
        ("bulletins", "0007_search_index"),
        ("submissions", "0004_inbox_sent_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="submissiontransition",
            name="unit",
            field=models.ForeignKey(
                editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="bulletins.unit", verbose_name="报送单位",
                help_text="信息的报送单位，保存时从信息取得；通讯员的“处理动态”按它查找。",
            ),
        ),
        migrations.RunPython(fill_units, migrations.RunPython.noop),
    ]
