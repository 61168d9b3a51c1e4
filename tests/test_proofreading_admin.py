import datetime

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from bulletins.models import Issue, WordRule

from .bulletin_sample import make_sample_issue, make_sample_registry
from .factories import make_entry, make_issue, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = make_user(roles=["编辑"], is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture
def issue():
    make_sample_registry()
    issue = make_issue(year=2023, number=14, published_at=datetime.datetime(2023, 4, 20, tzinfo=datetime.timezone.utc))
    make_entry(issue, body="<p>近日，副市长高鹏凌调研。</p>", order=0)
    make_entry(issue, body="<p>上旬，市委召开会议。</p>", date_text="三月上旬", order=1)
    return issue


def url(issue):
    return reverse("bulletins_admin:issue_proofread", args=[issue.pk])


def test_proofread_url_is_under_the_issue_admin(issue):
    assert url(issue) == f"/admin/bulletins/issue/{issue.pk}/proofread/"


def test_proofread_page_lists_blocking_and_warning_findings(client, editor, issue):
    response = client.get(url(issue))
    assert response.status_code == 200
    page = response.content.decode()
    assert "须改（1）" in page and "提示（1）" in page
    assert "副市长高鹏凌" in page and "市委副书记、市长高鹏凌" in page
    assert "三月上旬" in page
    first_entry = issue.entries.get(order=0)
    assert reverse("admin:bulletins_entry_change", args=[first_entry.pk]) in page
    assert page.index("findings-blocking") < page.index("findings-warnings")


def test_proofread_page_of_the_sample_says_nothing_was_found(client, editor):
    make_sample_registry()
    issue = make_sample_issue()
    page = client.get(url(issue)).content.decode()
    assert "没有发现问题。" in page


def test_proofread_page_shows_word_rule_findings(client, editor, issue):
    WordRule.objects.update_or_create(wrong="习近平思想", defaults={"right": "习近平新时代中国特色社会主义思想"})
    make_entry(issue, body="<p>学习习近平思想。</p>", order=2)
    assert "习近平新时代中国特色社会主义思想" in client.get(url(issue)).content.decode()


def test_proofread_needs_view_issue_permission(client, issue):
    client.force_login(make_user(is_staff=True))
    assert client.get(url(issue)).status_code == 403


def test_proofread_sends_anonymous_users_to_login(client, issue):
    response = client.get(url(issue))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_proofread_of_a_missing_issue_is_404(client, editor):
    assert client.get(reverse("bulletins_admin:issue_proofread", args=[9999])).status_code == 404


def test_issue_tools_link_to_proofreading_and_word_export(editor, issue):
    request = RequestFactory().get("/")
    request.user = editor
    html = render_to_string("admin/bulletins/issue/tools.html", {"original": issue}, request=request)
    assert f'href="{url(issue)}"' in html and "校对" in html
    assert reverse("bulletins_admin:issue_export_docx", args=[issue.pk]) in html and "导出Word" in html


def test_issue_tools_are_empty_on_the_add_form(editor):
    request = RequestFactory().get("/")
    request.user = editor
    assert render_to_string("admin/bulletins/issue/tools.html", {"original": Issue()}, request=request).strip() == ""


def test_word_list_admin_searches_rules(client):
    client.force_login(make_user(roles=["审核"], is_staff=True))
    response = client.get(reverse("admin:bulletins_wordrule_changelist"), {"q": "台湾"})
    assert response.status_code == 200
    assert "台湾地区领导人" in response.content.decode()
    assert "残疾人" not in response.content.decode()


def test_editor_may_read_but_not_change_the_word_list(client, editor):
    rule = WordRule.objects.get(wrong="残废人")
    assert client.get(reverse("admin:bulletins_wordrule_changelist")).status_code == 200
    response = client.post(reverse("admin:bulletins_wordrule_change", args=[rule.pk]),
                           {"wrong": "残废人", "right": "", "severity": "warning", "note": "", "is_active": "on"})
    assert response.status_code == 403


def fix_data(client, entry, body):
    form = client.get(reverse("admin:bulletins_entry_change", args=[entry.pk])).context["adminform"].form
    return {"issue": entry.issue_id, "section": entry.section_id, "order": entry.order, "body": body,
            "date_text": entry.date_text, "event_date": "",
            "expected_issue_version": form["expected_issue_version"].value(),
            "entry_people-TOTAL_FORMS": 0, "entry_people-INITIAL_FORMS": 0, "entry_people-MIN_NUM_FORMS": 0,
            "entry_people-MAX_NUM_FORMS": 1000}


def test_fix_link_of_a_finding_returns_to_proofreading(client, editor, issue):
    entry = issue.entries.get(order=0)
    page = client.get(url(issue)).content.decode()
    back = f"%2Fadmin%2Fbulletins%2Fissue%2F{issue.pk}%2Fproofread%2F"
    fix_link = f'{reverse("admin:bulletins_entry_change", args=[entry.pk])}?next={back}'
    assert f'href="{fix_link}"' in page
    response = client.post(fix_link, fix_data(client, entry, "<p>近日，市委副书记、市长高鹏凌调研。</p>"), follow=True)
    assert response.redirect_chain[-1][0] == url(issue)
    assert "须改（1）" not in response.content.decode()


def test_fix_link_never_leaves_the_admin(client, editor, issue):
    entry = issue.entries.get(order=0)
    change = reverse("admin:bulletins_entry_change", args=[entry.pk])
    for target in ("https://evil.example/admin/", "//evil.example/admin/", "/issues/"):
        response = client.post(f"{change}?next={target}", fix_data(client, entry, "<p>近日，调研。</p>"))
        assert response.status_code == 302 and "evil" not in response.url and response.url != "/issues/"


def test_save_and_continue_stays_on_the_entry(client, editor, issue):
    entry = issue.entries.get(order=0)
    change = reverse("admin:bulletins_entry_change", args=[entry.pk])
    response = client.post(f"{change}?next={url(issue)}", {**fix_data(client, entry, "<p>近日，调研。</p>"),
                                                            "_continue": "1"})
    assert response.url.startswith(change)
