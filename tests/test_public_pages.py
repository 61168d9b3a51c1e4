import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from bulletins.models import Issue, SiteSettings

from .factories import (
    link_person,
    make_entry,
    make_issue,
    make_person,
    make_published_issue,
    make_sample_issue,
    make_unit,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="change_issue"))
    return user


def test_home_shows_the_latest_issue_with_its_first_entries(client):
    make_published_issue(year=2023, number=12)
    make_sample_issue(year=2023, number=13)
    response = client.get("/")
    html = response.content.decode()
    assert "2023年文明城市创建(第13期)" in html
    assert "【领导活动】" in html and "市委副书记、市长高鹏凌" in html
    assert "2023年文明城市创建(第12期)" in html


def test_published_issue_is_shown_like_the_sample_page(client):
    make_sample_issue(year=2023, number=13)
    html = client.get("/issues/2023/13/").content.decode()
    assert "<h1" in html and "2023年文明城市创建(第13期)" in html
    assert "来源:市创文办" in html
    assert "【领导活动】" in html and "【他山之石】" in html
    assert html.count("<h1") == 1


def test_detail_links_people_and_units_of_each_entry(client):
    make_sample_issue()
    html = client.get("/issues/2023/13/").content.decode()
    assert "相关人物：" in html and "相关单位：" in html
    person = Issue.objects.get(number=13).entries.first().people.first()
    assert f'href="/people/{person.pk}/"' in html


def test_draft_is_404_for_the_public(client):
    make_issue(year=2023, number=14)
    assert client.get("/issues/2023/14/").status_code == 404
    assert client.get("/issues/2023/14/print/").status_code == 404


def test_scheduled_issue_is_404_for_the_public(client, tomorrow):
    make_published_issue(year=2023, number=14, published_at=tomorrow)
    assert client.get("/issues/2023/14/").status_code == 404


def test_draft_is_visible_to_an_editor_with_preview_banner_and_no_cache(client, editor):
    make_issue(year=2023, number=14)
    client.force_login(editor)
    for url in ("/issues/2023/14/", "/issues/2023/14/print/"):
        response = client.get(url)
        assert response.status_code == 200
        assert "预览" in response.content.decode()
        assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_logged_in_user_without_change_permission_gets_404_for_a_draft(client):
    make_issue(year=2023, number=14)
    client.force_login(make_user())
    assert client.get("/issues/2023/14/").status_code == 404


def test_newer_and_older_neighbours_are_linked_with_titles(client):
    make_published_issue(year=2023, number=12)
    make_published_issue(year=2023, number=13)
    make_published_issue(year=2024, number=1)
    html = client.get("/issues/2023/13/").content.decode()
    assert 'href="/issues/2024/1/" rel="prev">2024年文明城市创建(第1期)' in html
    assert 'href="/issues/2023/12/" rel="next">2023年文明城市创建(第12期)' in html


def test_neighbours_are_blank_at_both_ends(client):
    make_published_issue(year=2023, number=13)
    html = client.get("/issues/2023/13/").content.decode()
    assert '<span class="neighbour-label">上一篇:</span></p>' in html
    assert '<span class="neighbour-label">下一篇:</span></p>' in html


def test_neighbours_skip_drafts(client):
    make_published_issue(year=2023, number=12)
    make_issue(year=2023, number=13)
    make_published_issue(year=2023, number=14)
    html = client.get("/issues/2023/14/").content.decode()
    assert "/issues/2023/12/" in html and "/issues/2023/13/" not in html


def test_issue_list_is_newest_first(client):
    make_published_issue(year=2022, number=5)
    make_published_issue(year=2023, number=2)
    make_published_issue(year=2023, number=10)
    html = client.get("/issues/").content.decode()
    assert html.index("(第10期)") < html.index("(第2期)") < html.index("(第5期)")


def test_issue_list_filters_by_year(client):
    make_published_issue(year=2022, number=5)
    make_published_issue(year=2023, number=2)
    html = client.get("/issues/?year=2022").content.decode()
    assert "2022年文明城市创建(第5期)" in html
    assert "2023年文明城市创建(第2期)" not in html
    assert 'href="?year=2023"' in html


def test_issue_list_hides_drafts(client):
    make_issue(year=2023, number=3)
    assert "(第3期)" not in client.get("/issues/").content.decode()


def test_issue_list_is_paginated_and_keeps_the_year(client):
    for number in range(1, 23):
        make_published_issue(year=2023, number=number)
    first = client.get("/issues/?year=2023").content.decode()
    second = client.get("/issues/?year=2023&page=2").content.decode()
    assert "(第22期)" in first and "(第2期)" not in first
    assert "(第2期)" in second and "(第22期)" not in second
    assert 'href="?year=2023&amp;page=2"' in first


def test_section_page_lists_published_entries_newest_first(client):
    older = make_published_issue(year=2023, number=1)
    newer = make_published_issue(year=2023, number=2)
    make_entry(older, body="<p>较早的领导活动。</p>")
    make_entry(newer, body="<p>较新的领导活动。</p>")
    make_entry(make_issue(year=2023, number=3), body="<p>草稿里的活动。</p>")
    html = client.get("/sections/leaders/").content.decode()
    assert html.index("较新的领导活动") < html.index("较早的领导活动")
    assert "草稿里的活动" not in html


def test_person_page_shows_the_title_as_written_each_time(client):
    person = make_person(name="陶斌", title="市委副书记")
    for number, title in ((1, "市委常委、宣传部部长"), (2, "市委副书记")):
        entry = make_entry(make_published_issue(year=2023, number=number), body=f"<p>{title}陶斌调研。</p>")
        link_person(entry, person, title_as_written=title)
    html = client.get(f"/people/{person.pk}/").content.decode()
    assert "时任：市委常委、宣传部部长" in html and "时任：市委副书记" in html
    assert html.index("时任：市委副书记") < html.index("时任：市委常委、宣传部部长")


def test_unit_page_lists_its_published_entries(client):
    unit = make_unit()
    entry = make_entry(make_published_issue(), section_name="单位行动", body="<p>市残联开展义诊活动。</p>")
    entry.units.add(unit)
    hidden = make_entry(make_issue(), section_name="单位行动", body="<p>未发布的残联活动。</p>")
    hidden.units.add(unit)
    html = client.get(f"/units/{unit.pk}/").content.decode()
    assert "市残联开展义诊活动" in html and "未发布的残联活动" not in html


def test_browse_pages_are_paginated(client):
    issue = make_published_issue()
    for order in range(25):
        make_entry(issue, body=f"<p>第{order}条活动。</p>", order=order)
    html = client.get("/sections/leaders/?page=2").content.decode()
    assert "第 2 / 2 页" in html


def test_unknown_browse_targets_are_404(client):
    assert client.get("/sections/nope/").status_code == 404
    assert client.get("/people/999/").status_code == 404
    assert client.get("/units/999/").status_code == 404


def test_footer_shows_licence_numbers_and_contact_from_site_settings(client):
    site = SiteSettings.load()
    site.icp_number = "蜀ICP备12345678号-1"
    site.police_number = "川公网安备51190202000123号"
    site.contact = "0827-5261234"
    site.save()
    for url in ("/", "/issues/", "/no-such-page/"):
        html = client.get(url).content.decode()
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener">蜀ICP备12345678号-1</a>' in html
        assert "川公网安备51190202000123号" in html and "0827-5261234" in html


def test_header_links_sections_and_searches_by_get(client):
    make_entry(make_published_issue(), section_name="领导活动")
    html = client.get("/").content.decode()
    assert 'action="/search/" method="get"' in html
    assert 'href="/sections/leaders/"' in html
    assert 'lang="zh-CN"' in html and 'href="#main"' in html


def test_print_view_has_red_masthead_with_number_office_and_date(client):
    make_sample_issue(published_at=datetime.datetime(2023, 4, 6, 7, 59, 37, tzinfo=datetime.UTC))
    html = client.get("/issues/2023/13/print/").content.decode()
    assert 'class="masthead-title">文明城市创建</h1>' in html
    assert "2023年第13期" in html
    assert "巴中市创建全国文明城市工作指挥部办公室" in html and "2023年4月6日" in html
    assert 'media="print"' in html


def test_detail_page_links_to_the_print_view(client):
    make_published_issue(year=2023, number=13)
    assert 'href="/issues/2023/13/print/">打印文本' in client.get(reverse("bulletins:issue_detail", args=[2023, 13])).content.decode()


def test_print_stylesheet_sets_a4_and_hides_navigation():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/print.css"), encoding="utf-8").read()
    assert "@page { size: A4;" in css
    assert ".site-nav" in css and "display: none" in css


@pytest.mark.parametrize("path", ["/", "/issues/", "/issues/2023/13/", "/issues/2023/13/print/", "/sections/leaders/"])
def test_public_pages_have_no_inline_script_or_style(client, path):
    make_sample_issue()
    html = client.get(path).content.decode()
    assert "<script>" not in html and "<script " not in html.replace('<script src="', "")
    assert " style=" not in html and "<style" not in html
    assert html.count("<h1") == 1
