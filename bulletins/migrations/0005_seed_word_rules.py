"""Seed the proofreading word list with a few real 规范表述 (the roles' rights to edit the
list are in accounts.roles)."""

from django.db import migrations

BLOCKING, WARNING = "blocking", "warning"

RULES = [
    ("习近平思想", "习近平新时代中国特色社会主义思想", BLOCKING, "党的创新理论须用全称，不得简称为“习近平思想”。"),
    ("台湾总统", "台湾地区领导人", BLOCKING, "涉台表述：不得称“台湾总统”。"),
    ("香港主权移交", "香港回归祖国", BLOCKING, "涉港表述：应称“香港回归祖国”。"),
    ("一带一路战略", "“一带一路”倡议", BLOCKING, "应称“一带一路”倡议，不称战略。"),
    ("残废人", "残疾人", BLOCKING, "不使用歧视性称谓。"),
    ("弱智", "智力障碍者", WARNING, "不使用歧视性称谓。"),
    ("瞎子", "盲人", WARNING, "不使用歧视性称谓。"),
    ("党的十九大精神", "党的二十大精神", WARNING, "2022年10月党的二十大召开后，学习贯彻的一般应为党的二十大精神；回顾历史时可保留。"),
    ("精神文明建设委员会", "精神文明建设指导委员会", WARNING, "文明委的规范全称是“精神文明建设指导委员会”。"),
    ("十四五规划", "“十四五”规划", WARNING, "“十四五”须加引号。"),
]



def seed(apps, schema_editor):
    WordRule = apps.get_model("bulletins", "WordRule")
    for wrong, right, severity, note in RULES:
        WordRule.objects.get_or_create(wrong=wrong, defaults={"right": right, "severity": severity, "note": note})


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0004_word_rules"),
        ("accounts", "0002_roles"),
    ]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
