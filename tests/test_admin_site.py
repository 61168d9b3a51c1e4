"""The admin site (wenming/admin_site.py, admin_sidebar.py): the sidebar, kept per user's rights and page,
reads as Django's."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.template.loader import get_template
from django.test import RequestFactory

from accounts.roles import AUDITOR, EDITOR, SIGNER

from .factories import make_staff

pytestmark = pytest.mark.django_db


def sidebar(client):
    response = client.get("/admin/bulletins/section/")
    assert response.status_code == 200
    return [(app["app_label"], [model["object_name"] for model in app["models"]])
            for app in response.context["available_apps"]]


def djangos_own(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return [(app["app_label"], [model["object_name"] for model in app["models"]])
            for app in admin.AdminSite.get_app_list(admin.site, request)]


@pytest.mark.parametrize("roles", [[EDITOR], [SIGNER], [AUDITOR, EDITOR]])
def test_the_sidebar_lists_what_djangos_own_admin_lists(client, roles):
    user = make_staff(*roles)
    client.force_login(user)
    sidebar(client)  # the second page reads the kept list
    assert sidebar(client) == djangos_own(user)


def test_a_granted_permission_shows_on_the_next_page(client):
    user = make_staff(EDITOR)
    client.force_login(user)
    before = sidebar(client)
    user.user_permissions.add(Permission.objects.get(codename="view_auditevent"))
    after = sidebar(client)
    listed = [[name for _label, models in apps for name in models] for apps in (before, after)]
    assert "AuditEvent" not in listed[0] and "AuditEvent" in listed[1]


def test_each_user_sees_their_own_list(client):
    editor, signer = make_staff(EDITOR), make_staff(SIGNER)
    client.force_login(editor)
    editors = sidebar(client)
    client.force_login(signer)
    assert sidebar(client) == djangos_own(signer) != editors


def test_a_page_changing_its_list_changes_no_other_page(client):
    client.force_login(make_staff(EDITOR))
    response = client.get("/admin/bulletins/section/")
    response.context["available_apps"][0]["models"].clear()
    response.context["available_apps"].clear()
    assert sidebar(client)


@pytest.mark.parametrize("roles", [[EDITOR], [SIGNER]])
def test_the_sidebar_html_is_djangos_with_the_current_page_marked(client, roles):
    client.force_login(make_staff(*roles))
    pages = ["/admin/bulletins/issue/", "/admin/profile/", "/admin/bulletins/issue/?q=x", "/admin/profile/"]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200
        djangos = get_template("admin/nav_sidebar.html").render(
            {"available_apps": response.context["available_apps"]}, response.wsgi_request)
        content = response.content.decode()
        assert djangos in content
        assert ('aria-current="page"' in djangos) == page.startswith("/admin/bulletins/issue/")
