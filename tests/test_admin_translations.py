"""The admin speaks Chinese everywhere, including Django's own template strings read by screen readers."""

import re
from pathlib import Path

import axes
import django.contrib.admin
import pytest
from django.apps import apps
from django.utils import translation

from .factories import make_staff

ADMIN_TEMPLATES = Path(django.contrib.admin.__file__).parent / "templates"


def test_every_plain_string_of_djangos_admin_templates_has_a_chinese_translation():
    strings = {
        text
        for path in ADMIN_TEMPLATES.rglob("*.html")
        for text in re.findall(r"\{% (?:translate|trans) ['\"](.+?)['\"]", path.read_text(encoding="utf-8"))
    }
    with translation.override("zh-hans"):
        untranslated = sorted(text for text in strings if translation.gettext(text) == text)
    assert untranslated == []


@pytest.mark.django_db
def test_admin_index_has_no_english_table_headings_for_screen_readers(client):
    client.force_login(make_staff("编辑"))
    html = client.get("/admin/").content.decode()
    assert "Model name" not in html and "Add link" not in html
    assert "模型名称" in html


def test_login_lockout_admin_of_django_axes_is_in_chinese():
    source = "".join((Path(axes.__file__).parent / name).read_text(encoding="utf-8") for name in ("models.py", "admin.py"))
    strings = set(re.findall(r'_\(\s*"([^"]+)"\s*\)', source))
    with translation.override("zh-hans"):
        untranslated = sorted(text for text in strings if translation.gettext(text) == text)
    assert untranslated == []
    assert apps.get_app_config("axes").verbose_name == "登录锁定"


def test_accounts_app_keeps_its_chinese_name():
    assert apps.get_app_config("accounts").verbose_name == "账号与审计"
