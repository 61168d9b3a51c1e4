"""Account management by the 系统管理员 in the admin."""

import re

import pytest
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import ADMINISTRATOR, AUDITOR, EDITOR, REVIEWER

from .factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_staff(ADMINISTRATOR, username="sysadmin"))
    return client


def group(name):
    return Group.objects.get(name=name)


def create(admin_client, **fields):
    data = {"username": "liming", "real_name": "李明", "unit": "市文明办", "phone": "0551-1234567",
            "email": "", "groups": [group(EDITOR).pk], **fields}
    return admin_client.post("/admin/accounts/user/add/", data)


def shown_password(response):
    return re.search(r'class="temporary-password">([^<]+)<', response.content.decode()).group(1)


def test_administrator_creates_an_editor_with_name_unit_phone_and_role(admin_client):
    create(admin_client)
    user = User.objects.get(username="liming")
    assert (user.real_name, user.unit, user.phone, user.is_staff) == ("李明", "市文明办", "0551-1234567", True)
    assert list(user.groups.values_list("name", flat=True)) == [EDITOR]


def test_new_account_gets_a_temporary_password_shown_once(admin_client):
    response = create(admin_client)
    user = User.objects.get(username="liming")
    assert user.check_password(shown_password(response)) and user.must_change_password


def test_temporary_password_page_is_not_cached(admin_client):
    assert "no-store" in create(admin_client)["Cache-Control"]


def test_real_name_is_required_for_a_new_account(admin_client):
    create(admin_client, real_name="")
    assert not User.objects.filter(username="liming").exists()


def test_one_account_cannot_be_both_administrator_and_auditor(admin_client):
    response = create(admin_client, groups=[group(ADMINISTRATOR).pk, group(AUDITOR).pk])
    assert "职责分离" in response.content.decode() and not User.objects.filter(username="liming").exists()


def test_administrator_resets_a_password_to_a_one_time_password(admin_client):
    user = make_staff(EDITOR)
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/reset-password/")
    user.refresh_from_db()
    assert user.check_password(shown_password(response)) and user.must_change_password


def test_reset_page_asks_for_confirmation_first(admin_client):
    user = make_staff(EDITOR)
    old_password = User.objects.get(pk=user.pk).password
    admin_client.get(f"/admin/accounts/user/{user.pk}/reset-password/")
    assert User.objects.get(pk=user.pk).password == old_password


def test_django_set_any_password_page_is_gone(admin_client):
    user = make_staff(EDITOR)
    assert admin_client.get(f"/admin/accounts/user/{user.pk}/password/").status_code in (403, 404)


def test_administrator_deactivates_an_account(admin_client):
    user = make_staff(EDITOR)
    admin_client.post("/admin/accounts/user/", {"action": "deactivate_selected", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert not user.is_active


def test_accounts_cannot_be_deleted_even_by_a_superuser(client):
    user = make_staff(EDITOR)
    client.force_login(User.objects.create_superuser("root", password="Root-Secret-2026"))
    client.post(f"/admin/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_action_is_not_offered(admin_client):
    assert "delete_selected" not in admin_client.get("/admin/accounts/user/").content.decode()


def test_administrator_changes_roles(admin_client):
    user = make_staff(EDITOR, real_name="王芳")
    admin_client.post(f"/admin/accounts/user/{user.pk}/change/", {
        "username": user.username, "real_name": "王芳", "unit": "", "phone": "", "email": "",
        "groups": [group(REVIEWER).pk], "is_active": "on",
    })
    assert list(user.groups.values_list("name", flat=True)) == [REVIEWER]


def test_administrator_cannot_change_their_own_roles(client):
    me = make_staff(ADMINISTRATOR, username="sysadmin2")
    client.force_login(me)
    client.post(f"/admin/accounts/user/{me.pk}/change/", {
        "username": me.username, "real_name": "", "unit": "", "phone": "", "email": "",
        "groups": [group(AUDITOR).pk],
    })
    assert list(me.groups.values_list("name", flat=True)) == [ADMINISTRATOR]


def test_administrator_does_not_see_superuser_accounts(admin_client):
    root = User.objects.create_superuser("root", password="Root-Secret-2026")
    assert admin_client.get(f"/admin/accounts/user/{root.pk}/reset-password/").status_code == 404


@pytest.mark.parametrize("query", ["groups__id__exact={editor}", "unit=市文明办", "is_active__exact=1",
                                   "last_login__isnull=True"])
def test_account_list_filters(admin_client, query):
    make_staff(EDITOR, username="inunit", unit="市文明办")
    response = admin_client.get("/admin/accounts/user/?" + query.format(editor=group(EDITOR).pk))
    assert response.status_code == 200 and "inunit" in response.content.decode()


def test_account_list_shows_recent_login_failures(admin_client):
    from axes.models import AccessAttempt
    from django.utils import timezone

    user = make_staff(EDITOR, username="lockedone")
    AccessAttempt.objects.create(username=user.username, ip_address="10.0.0.5", user_agent="x",
                                 failures_since_start=5, attempt_time=timezone.now())
    response = admin_client.get("/admin/accounts/user/?q=lockedone")
    assert '<td class="field-login_failures">5</td>' in response.content.decode()


def test_account_list_query_count_does_not_grow_with_accounts(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        admin_client.get("/admin/accounts/user/")  # warm caches (site settings, content types)
        with CaptureQueriesContext(connection) as captured:
            admin_client.get("/admin/accounts/user/")
        return len(captured)

    make_staff(EDITOR, username="few")
    few = queries()
    for n in range(20):
        make_staff(EDITOR, username=f"many{n}")
    assert queries() == few


def test_unticking_active_in_the_form_deactivates_the_account(admin_client):
    user = make_staff(EDITOR, real_name="王芳")
    admin_client.post(f"/admin/accounts/user/{user.pk}/change/", {
        "username": user.username, "real_name": "王芳", "unit": "", "phone": "", "email": "",
        "groups": [group(EDITOR).pk],
    })
    user.refresh_from_db()
    assert not user.is_active


def test_deactivated_account_cannot_log_in(client):
    from .factories import STRONG_PASSWORD

    user = make_staff(EDITOR, is_active=False)
    client.post("/admin/login/", {"username": user.username, "password": STRONG_PASSWORD})
    assert "_auth_user_id" not in client.session


def test_admin_greets_the_user_by_real_name_not_login_name(client):
    client.force_login(make_staff(EDITOR, username="bianji", real_name="张编辑"))
    html = client.get("/admin/").content.decode()
    assert "<strong>张编辑</strong>" in html
    assert "<strong>bianji</strong>" not in html
