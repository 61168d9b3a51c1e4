"""Every page names its icon, so browsers do not log a 404 for /favicon.ico on each visit."""

import re

import pytest
from django.contrib.staticfiles import finders

from .factories import make_staff

pytestmark = pytest.mark.django_db


def icon_of(html):
    return re.search(r'<link rel="icon" href="/static/([^"]+)"', html).group(1)


def test_admin_login_page_links_an_icon_that_exists(client):
    assert finders.find(icon_of(client.get("/admin/login/").content.decode()))


def test_admin_change_form_keeps_the_icon(client):
    client.force_login(make_staff("编辑"))
    assert icon_of(client.get("/admin/bulletins/issue/add/").content.decode())


def test_public_home_links_an_icon_that_exists(client):
    assert finders.find(icon_of(client.get("/").content.decode()))
