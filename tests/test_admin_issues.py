import pytest

from bulletins.models import Issue, Section
from bulletins.sanitize import MAX_BODY_DEPTH

from .factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = make_user("chief", is_staff=True, is_superuser=True)
    client.force_login(user)
    return client, user


def _inline_management(prefix, total):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_editor_adds_an_issue_with_entries_through_the_admin_form(superuser_client):
    client, user = superuser_client
    leaders = Section.objects.get(name="领导活动")
    units = Section.objects.get(name="单位行动")
    data = {
        "year": "2024",
        "number": "3",
        "title": "",
        "source": "市创文办",
        "status": "draft",
        **_inline_management("entries", 2),
        "entries-0-section": str(leaders.pk),
        "entries-0-order": "1",
        "entries-0-date_text": "3月15日",
        "entries-0-event_date": "2024-03-15",
        "entries-0-body": '<p>市领导参加义务植树活动。<script>alert(1)</script></p>',
        "entries-1-section": str(units.pk),
        "entries-1-order": "1",
        "entries-1-date_text": "近日",
        "entries-1-event_date": "",
        "entries-1-body": "<p>市税务局开展宣讲志愿服务活动。</p>",
    }
    page = client.get("/admin/bulletins/issue/add/")
    for name, value in page.context["adminform"].form.initial.items():
        data.setdefault(name, value)
    response = client.post("/admin/bulletins/issue/add/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""

    issue = Issue.objects.get(year=2024, number=3)
    assert issue.title == "2024年文明城市创建(第3期)"
    assert issue.created_by == user and issue.updated_by == user
    entries = list(issue.entries.order_by("section__order"))
    assert [e.section.name for e in entries] == ["领导活动", "单位行动"]
    assert entries[0].body == "<p>市领导参加义务植树活动。</p>"
    assert entries[1].event_date is None


def test_admin_refuses_a_duplicate_issue_number_with_a_chinese_message(superuser_client):
    client, _ = superuser_client
    Issue.objects.create(year=2024, number=3)
    data = {"year": "2024", "number": "3", "title": "", "source": "", "status": "draft",
            **_inline_management("entries", 0)}
    response = client.post("/admin/bulletins/issue/add/", data)
    assert response.status_code == 200
    assert "该年份的这一期已经存在" in response.content.decode()
    assert Issue.objects.filter(year=2024, number=3).count() == 1


def test_ckeditor_scripts_stay_in_the_admin(superuser_client, client):
    admin_client, _ = superuser_client
    assert "ckeditor/ckeditor.js" in admin_client.get("/admin/bulletins/issue/add/").content.decode()
    client.logout()
    assert "ckeditor" not in client.get("/").content.decode()


def test_admin_refuses_a_deeply_nested_entry_body_with_a_chinese_message(superuser_client):
    client, _ = superuser_client
    data = {
        "year": "2024", "number": "4", "title": "", "source": "", "status": "draft",
        **_inline_management("entries", 1),
        "entries-0-section": str(Section.objects.get(name="领导活动").pk),
        "entries-0-order": "1",
        "entries-0-date_text": "近日",
        "entries-0-event_date": "",
        "entries-0-body": "<div>" * 1000 + "文" + "</div>" * 1000,
    }
    response = client.post("/admin/bulletins/issue/add/", data)
    assert response.status_code == 200
    assert f"条目正文嵌套层级过深（超过{MAX_BODY_DEPTH}层）" in response.content.decode()
    assert not Issue.objects.filter(year=2024, number=4).exists()


def test_issue_page_reads_sections_and_units_once_however_many_entries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .factories import make_entry, make_issue, make_staff, make_unit

    client.force_login(make_staff("编辑"))
    unit = make_unit()

    def queries(entries):
        issue = make_issue()
        for order in range(entries):
            make_entry(issue, order=order)
        issue.entries.first().units.add(unit)  # one entry with a unit: its name is looked up for the widget
        url = f"/admin/bulletins/issue/{issue.pk}/change/"
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries(2) == queries(8)
