"""The 系统管理员 creates 通讯员 accounts like any other, tied to one unit and kept out of the admin."""

import pytest
from django.contrib.auth.models import Group

from accounts.models import AuditEvent, User
from accounts.roles import ADMINISTRATOR, CORRESPONDENT, EDITOR

from .factories import make_staff, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_staff(ADMINISTRATOR, username="sysadmin"))
    return client


def create(admin_client, **fields):
    data = {"username": "tongxun", "real_name": "刘通讯", "unit": "市残联", "phone": "13900000000",
            "email": "", "groups": [Group.objects.get(name=CORRESPONDENT).pk], **fields}
    return admin_client.post("/admin/accounts/user/add/", data)


def test_a_correspondent_is_created_with_a_unit_and_is_not_staff(admin_client):
    unit = make_unit()
    create(admin_client, reporting_unit=unit.pk)
    user = User.objects.get(username="tongxun")
    assert user.reporting_unit == unit and not user.is_staff and user.must_change_password
    assert AuditEvent.objects.filter(action="account.create", object_id=str(user.pk)).exists()


def test_a_correspondent_needs_a_unit(admin_client):
    response = create(admin_client)
    assert "请选择通讯员的报送单位" in response.content.decode()
    assert not User.objects.filter(username="tongxun").exists()


def test_a_correspondent_holds_no_other_role(admin_client):
    groups = [Group.objects.get(name=CORRESPONDENT).pk, Group.objects.get(name=EDITOR).pk]
    response = create(admin_client, reporting_unit=make_unit().pk, groups=groups)
    assert "不能同时担任其他角色" in response.content.decode()
    assert not User.objects.filter(username="tongxun").exists()


def test_other_roles_have_no_reporting_unit(admin_client):
    response = create(admin_client, reporting_unit=make_unit().pk, groups=[Group.objects.get(name=EDITOR).pk])
    assert "只有通讯员需要报送单位" in response.content.decode()


def test_the_correspondent_logs_in_at_the_portal_and_not_the_admin(admin_client, client):
    create(admin_client, reporting_unit=make_unit().pk)
    user = User.objects.get(username="tongxun")
    user.set_password("Portal-Secret-2026!")
    user.save()
    client.logout()
    response = client.post("/admin/login/", {"username": "tongxun", "password": "Portal-Secret-2026!"})
    assert response.status_code == 200  # the admin's login refuses non-staff
    response = client.post("/portal/login/", {"username": "tongxun", "password": "Portal-Secret-2026!"})
    assert response.status_code == 302 and response["Location"] == "/portal/"
    assert client.get("/portal/").status_code == 200
