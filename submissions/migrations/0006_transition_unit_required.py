import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0005, so the fill is committed first: PostgreSQL may refuse to ALTER a table that has
    deferred constraint checks pending from rows updated in the same transaction."""

    dependencies = [
        ("submissions", "0005_transition_unit"),
    ]

    operations = [
        migrations.AlterField(
            model_name="submissiontransition",
            name="unit",
            field=models.ForeignKey(
                editable=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="bulletins.unit", verbose_name="报送单位",
                help_text="信息的报送单位，保存时从信息取得；通讯员的“处理动态”按它查找。",
            ),
        ),
        migrations.AddIndex(
            model_name="submissiontransition",
            index=models.Index(fields=["unit", "-at", "-id"], name="transition_unit_at"),
        ),
    ]
