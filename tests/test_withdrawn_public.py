import pytest
from django.contrib.auth.models import Permission

from bulletins.models import Issue

from .factories import make_published_issue, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def withdrawn():
    make_published_issue(year=2023, number=12)
    issue = make_published_issue(year=2023, number=13)
    make_published_issue(year=2023, number=14)
    issue.status = Issue.Status.WITHDRAWN
    issue.withdrawn_reason = "领导职务表述有误"
    issue.save()
    return issue


def test_withdrawn_issue_answers_410_with_notice_and_reason(client, withdrawn):
    response = client.get("/issues/2023/13/")
    html = response.content.decode()
    assert response.status_code == 410
    assert "本期简报已撤回" in html and "撤回原因：领导职务表述有误" in html
    assert 'class="site-footer"' in html


def test_withdrawn_print_view_answers_410(client, withdrawn):
    assert client.get("/issues/2023/13/print/").status_code == 410


def test_withdrawn_issue_notice_without_reason(client, withdrawn):
    withdrawn.withdrawn_reason = ""
    withdrawn.save()
    html = client.get("/issues/2023/13/").content.decode()
    assert "本期简报已撤回" in html and "撤回原因" not in html


def test_withdrawn_issue_is_gone_from_home_and_list(client, withdrawn):
    for url in ("/", "/issues/"):
        html = client.get(url).content.decode()
        assert "(第13期)" not in html and "(第14期)" in html


def test_withdrawn_issue_is_gone_from_feeds_and_sitemap(client, withdrawn):
    for url in ("/feed/", "/feed/atom/", "/sitemap.xml"):
        html = client.get(url).content.decode()
        assert "/issues/2023/13/" not in html and "/issues/2023/14/" in html


def test_withdrawn_issue_is_skipped_by_neighbours(client, withdrawn):
    html = client.get("/issues/2023/14/").content.decode()
    assert "/issues/2023/12/" in html and "/issues/2023/13/" not in html


def test_editor_still_previews_a_withdrawn_issue_with_banner(client, withdrawn):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="change_issue"))
    client.force_login(user)
    response = client.get("/issues/2023/13/")
    assert response.status_code == 200
    assert "本期已撤回" in response.content.decode() and "no-cache" in response["Cache-Control"]


def test_cached_page_of_a_withdrawn_issue_is_replaced_by_the_notice(client):
    issue = make_published_issue(year=2023, number=13)
    assert client.get("/issues/2023/13/").status_code == 200
    issue.status = Issue.Status.WITHDRAWN
    issue.save()
    assert client.get("/issues/2023/13/").status_code == 410
