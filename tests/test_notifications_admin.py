import pytest
from django.urls import reverse

from bulletins.models import Notification

from .factories import make_issue, make_staff

pytestmark = pytest.mark.django_db

LIST = reverse("bulletins_admin:notifications")


def notify(user, issue=None, text="《第1期》请审核（王丽提交审核）", **fields):
    return Notification.objects.create(recipient=user, issue=issue, text=text, **fields)


def test_header_shows_the_unread_count(client):
    reviewer = make_staff("审核")
    for _ in range(3):
        notify(reviewer)
    Notification.objects.filter(pk=notify(reviewer).pk).mark_read()
    notify(make_staff("审核", username="other"))
    client.force_login(reviewer)
    html = client.get(reverse("admin:index")).content.decode()
    assert 'aria-label="3 条未读">3</span>' in html


def test_header_shows_no_badge_without_unread_notifications(client):
    client.force_login(make_staff("编辑"))
    html = client.get(reverse("admin:index")).content.decode()
    assert 'id="notification-link"' in html and "unread-badge" not in html


def test_list_shows_only_my_notifications_newest_first(client):
    editor = make_staff("编辑")
    notify(editor, text="旧的通知")
    notify(editor, text="新的通知", comment="请补充来源")
    notify(make_staff("审核"), text="别人的通知")
    client.force_login(editor)
    html = client.get(LIST).content.decode()
    assert html.index("新的通知") < html.index("旧的通知")
    assert "请补充来源" in html and "别人的通知" not in html


def test_opening_a_notification_marks_it_read_and_goes_to_the_issue(client):
    reviewer, issue = make_staff("审核"), make_issue()
    note = notify(reviewer, issue)
    client.force_login(reviewer)
    response = client.get(reverse("bulletins_admin:notification_open", args=[note.pk]))
    assert response.url == reverse("admin:bulletins_issue_change", args=[issue.pk])
    note.refresh_from_db()
    assert note.is_read


def test_nobody_opens_another_users_notification(client):
    note = notify(make_staff("审核"))
    client.force_login(make_staff("审核", username="other"))
    assert client.get(reverse("bulletins_admin:notification_open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert not note.is_read


def test_mark_selected_notifications_read(client):
    editor = make_staff("编辑")
    first, second = notify(editor), notify(editor)
    theirs = notify(make_staff("审核"))
    client.force_login(editor)
    client.post(reverse("bulletins_admin:notifications_read"), {"pk": [first.pk, theirs.pk]})
    assert list(Notification.objects.unread().order_by("pk")) == [second, theirs]


def test_mark_all_read(client):
    editor = make_staff("编辑")
    notify(editor), notify(editor)
    client.force_login(editor)
    response = client.post(reverse("bulletins_admin:notifications_read"), {"all": "1"}, follow=True)
    assert Notification.objects.unread().count() == 0
    assert "已将 2 条通知标为已读" in response.content.decode()


def test_marking_read_needs_post(client):
    client.force_login(make_staff("编辑"))
    assert client.get(reverse("bulletins_admin:notifications_read")).status_code == 405


def test_list_query_count_does_not_grow_with_notifications(client, django_assert_max_num_queries):
    editor = make_staff("编辑")
    client.force_login(editor)
    for _ in range(3):
        notify(editor, make_issue())
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    for _ in range(20):
        notify(editor, make_issue())
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)
