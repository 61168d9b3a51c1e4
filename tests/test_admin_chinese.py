"""Admin pages of third-party apps read in Chinese too (django-axes ships no zh_Hans)."""

import pytest
from axes.models import AccessAttempt

from accounts.roles import ADMINISTRATOR

from .factories import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator_client(client):
    client.force_login(make_staff(ADMINISTRATOR))
    return client


def test_lock_records_are_listed_in_chinese(administrator_client):
    AccessAttempt.objects.create(username="zhangsan", ip_address="10.1.1.1", failures_since_start=5,
                                 user_agent="test", path_info="/admin/login/")
    page = administrator_client.get("/admin/axes/accessattempt/").content.decode()
    assert "登录失败记录" in page and "尝试时间" in page and "失败次数" in page
    assert "Access attempt" not in page and "Attempt Time" not in page and "Username" not in page


def test_administrator_index_names_the_lock_app_in_chinese(administrator_client):
    page = administrator_client.get("/admin/").content.decode()
    assert "登录锁定" in page and "Axes" not in page and "Access attempts" not in page


def test_roles_are_called_roles_not_groups(administrator_client):
    page = administrator_client.get("/admin/").content.decode()
    assert '<a href="/admin/auth/group/">角色</a>' in page


def test_admin_greets_staff_by_real_name(client):
    client.force_login(make_staff(ADMINISTRATOR, real_name="赵管理"))
    assert "赵管理" in client.get("/admin/").content.decode()
