import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import connection
from django.test import Client, override_settings
from django.urls import include, path
from django.views.defaults import server_error


def _boom(request):
    raise RuntimeError("secret traceback detail")


def _forbidden(request):
    raise PermissionDenied


def _bad(request):
    raise SuspiciousOperation("bad")


urlpatterns = [
    path("boom/", _boom),
    path("forbidden/", _forbidden),
    path("bad/", _bad),
    path("", include("wenming.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.test_error_pages")]


@pytest.fixture
def quiet_client():
    return Client(raise_request_exception=False)


@override_settings(DEBUG=False)
def test_404_is_in_chinese_in_the_site_layout(client):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and 'class="site-header"' in html and 'class="site-footer"' in html


@override_settings(DEBUG=False)
def test_500_is_in_chinese_without_traceback(quiet_client):
    response = quiet_client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "服务器暂时出现错误" in html and 'lang="zh-CN"' in html
    assert "secret traceback detail" not in html and "Traceback" not in html


@override_settings(DEBUG=False)
def test_500_renders_without_the_database(rf, django_assert_max_num_queries):
    with django_assert_max_num_queries(0, connection=connection):
        response = server_error(rf.get("/"))
    assert "服务器暂时出现错误" in response.content.decode()


@override_settings(DEBUG=False)
def test_403_is_in_chinese(quiet_client):
    response = quiet_client.get("/forbidden/")
    assert response.status_code == 403 and "无权访问" in response.content.decode()


@override_settings(DEBUG=False)
def test_400_is_in_chinese(quiet_client):
    response = quiet_client.get("/bad/")
    assert response.status_code == 400 and "请求有误" in response.content.decode()


@override_settings(DEBUG=False, ALLOWED_HOSTS=["testserver"])
def test_disallowed_host_gets_the_400_page(quiet_client):
    response = quiet_client.get("/", HTTP_HOST="evil.example")
    assert response.status_code == 400 and "请求有误" in response.content.decode()
