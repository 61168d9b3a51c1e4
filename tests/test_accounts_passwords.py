"""The password policy, expiry and the forced change after a reset."""

import datetime

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import operations
from accounts.roles import ADMINISTRATOR, EDITOR

from .factories import STRONG_PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def errors_for(password, user=None):
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_a_strong_password_passes():
    assert errors_for("Qingshan-River-2026") == []


def test_password_shorter_than_ten_characters_is_refused():
    assert "密码太短：至少需要 10 个字符。" in errors_for("Ab3$efgh9")


def test_password_with_only_two_character_classes_is_refused():
    assert any("至少 3 类" in message for message in errors_for("qingshanriver2026"))


def test_three_classes_without_symbols_are_enough():
    assert errors_for("QingshanRiver2026") == []


def test_password_containing_the_username_is_refused():
    user = make_staff(username="zhangwei")
    assert "密码不能包含用户名或真实姓名。" in errors_for("Zhangwei-2026!", user)


def test_password_containing_the_real_name_is_refused():
    user = make_staff(username="editor9", real_name="liuyang")
    assert "密码不能包含用户名或真实姓名。" in errors_for("Liuyang#2026x", user)


def test_common_password_is_refused():
    assert "这是一个常见密码，容易被猜中。" in errors_for("Password123")


def test_current_password_cannot_be_reused():
    user = make_staff()
    user.set_password("First-Secret-101")
    user.save()
    assert "不能使用最近 5 次用过的密码。" in errors_for("First-Secret-101", user)


def test_one_of_the_last_five_passwords_cannot_be_reused():
    user = make_staff()
    for n in range(1, 6):
        user.set_password(f"Rotating-Secret-{n}x")
        user.save()
    assert "不能使用最近 5 次用过的密码。" in errors_for("Rotating-Secret-1x", user)


def test_the_sixth_password_back_may_be_used_again():
    user = make_staff()
    for n in range(1, 7):
        user.set_password(f"Rotating-Secret-{n}x")
        user.save()
    assert errors_for("Rotating-Secret-1x", user) == []


def test_password_history_keeps_five_entries():
    user = make_staff()
    for n in range(1, 9):
        user.set_password(f"Rotating-Secret-{n}x")
        user.save()
    assert user.password_history.count() == 5


def test_messages_are_in_chinese_for_every_rule():
    user = make_staff(username="wangfang")
    messages = errors_for("wangfang", user)
    assert messages and all(any("\u4e00" <= c <= "\u9fff" for c in m) for m in messages)


def test_temporary_passwords_satisfy_the_policy():
    user = make_staff()
    assert errors_for(operations.temporary_password(), user) == []


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_expired_password_leads_to_the_change_password_page(client):
    client.force_login(make_staff(EDITOR, password_changed_at=days_ago(91)))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/admin/password_change/"


def test_password_younger_than_the_expiry_is_not_redirected(client):
    client.force_login(make_staff(EDITOR, password_changed_at=days_ago(89)))
    assert client.get("/admin/").status_code == 200


def test_expiry_follows_the_setting(client, settings):
    settings.PASSWORD_EXPIRY_DAYS = 30
    client.force_login(make_staff(EDITOR, password_changed_at=days_ago(31)))
    assert client.get("/admin/").status_code == 302


def test_user_must_change_password_after_a_reset(client):
    user = make_staff(EDITOR)
    temporary = operations.reset_password(user, by=make_staff(ADMINISTRATOR))
    client.post("/admin/login/", {"username": user.username, "password": temporary})
    response = client.get("/admin/bulletins/issue/")
    assert response.status_code == 302 and response["Location"] == "/admin/password_change/"


def test_forced_user_can_still_log_out(client):
    user = make_staff(EDITOR, must_change_password=True)
    client.force_login(user)
    assert client.post("/admin/logout/").status_code == 200


def test_changing_the_password_ends_the_forced_change(client):
    user = make_staff(EDITOR)
    temporary = operations.reset_password(user, by=make_staff(ADMINISTRATOR))
    client.force_login(user)
    response = client.post("/admin/password_change/", {
        "old_password": temporary, "new_password1": "Brand-New-Secret-9", "new_password2": "Brand-New-Secret-9",
    })
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_change_password_page_refuses_a_weak_password_in_chinese(client):
    user = make_staff(EDITOR)
    client.force_login(user)
    response = client.post("/admin/password_change/", {
        "old_password": STRONG_PASSWORD, "new_password1": "short", "new_password2": "short",
    })
    assert "密码太短" in response.content.decode()


def test_every_staff_user_sees_their_own_profile(client):
    client.force_login(make_staff(EDITOR, real_name="李明", unit="市文明办"))
    content = client.get("/admin/profile/").content.decode()
    assert "李明" in content and "市文明办" in content and "编辑" in content
